"""`flask db graph`: the history as SVG, oldest at the top.

Each revision shows its id, its message and the blueprints whose tables it
touches; a branch point and a merge say so; the database's revision is filled.
"""
from project.schema.viewing.drawing import html_text, to_svg
from project.schema.viewing.owners import blueprints_touched
from project.schema.viewing.revision_facts import revision_facts


def revision_svg(script, current, owners):
    return to_svg(revision_graph(script, current, owners))


def revision_graph(script, current, owners):
    import graphviz

    graph = graphviz.Digraph("history", graph_attr={"rankdir": "TB", "fontname": "Helvetica"},
                             node_attr={"shape": "box", "style": "rounded,filled",
                                        "fillcolor": "white", "fontname": "Helvetica"})
    revisions = list(script.walk_revisions())
    children = {revision.revision: 0 for revision in revisions}
    for revision in revisions:
        for parent in revision._all_down_revisions:
            children[parent] = children.get(parent, 0) + 1
    heads = set(script.get_heads())
    for revision in revisions:
        notes = []
        if len(revision._all_down_revisions) > 1:
            notes.append("merge")
        if children[revision.revision] > 1:
            notes.append("branch point")
        if revision.revision in heads:
            notes.append("head")
        if revision.revision in current:
            notes.append("the database is here")
        graph.node(
            revision.revision,
            label=f"<{node_label(revision, owners, notes)}>",
            fillcolor="gold" if revision.revision in current else "white",
            penwidth="3" if revision.revision in current else "1",
        )
        for parent in revision._all_down_revisions:
            graph.edge(parent, revision.revision)
    return graph


def node_label(revision, owners, notes):
    facts = revision_facts(revision)
    touched = ", ".join(blueprints_touched(facts.tables, owners)) or "no tables"
    lines = [
        f"<B>{html_text(revision.revision)}</B>",
        html_text(facts.message),
        f"<I>{html_text(touched)}</I>",
    ]
    if notes:
        lines.append(f"<B>{html_text(', '.join(notes))}</B>")
    return "<BR/>".join(lines)
