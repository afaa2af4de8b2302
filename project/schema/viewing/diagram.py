"""`flask db diagram`: the ER diagram, as Graphviz SVG or as Mermaid text.

Tables are grouped in a box per blueprint; each column shows its type, NULL
or NOT NULL, and PK, FK, UQ; each foreign key is an edge from its column to
the column it refers to.
"""
from itertools import groupby

from project.schema.viewing.drawing import html_text, to_svg


def er_svg(tables, edges):
    return to_svg(er_graph(tables, edges))


def er_graph(tables, edges):
    import graphviz

    graph = graphviz.Digraph("schema", graph_attr={"rankdir": "LR", "fontname": "Helvetica"},
                             node_attr={"shape": "plaintext", "fontname": "Helvetica"},
                             edge_attr={"arrowhead": "crow", "arrowtail": "none"})
    for blueprint, boxes in groupby(tables, key=lambda box: box.blueprint):
        with graph.subgraph(name=f"cluster_{blueprint}") as cluster:
            cluster.attr(label=f"blueprint {blueprint}", style="rounded", color="gray50")
            for box in boxes:
                cluster.node(box.name, label=f"<{table_label(box)}>")
    for edge in edges:
        # Drawn from the referred column (the one side) to the referring column (the many).
        graph.edge(f"{edge.referred_table}:out_{edge.referred_column}:e",
                   f"{edge.table}:in_{edge.column}:w",
                   style="dashed" if edge.nullable else "solid", tooltip=edge.name)
    return graph


def table_label(box):
    rows = [
        f'<TR><TD COLSPAN="3" BGCOLOR="lightsteelblue"><B>{html_text(box.name)}</B></TD></TR>'
    ]
    for column in box.columns:
        keys = " ".join(mark for mark, present in (
            ("PK", column.primary_key), ("FK", column.foreign_key), ("UQ", column.unique),
        ) if present)
        rows.append(
            f'<TR><TD ALIGN="LEFT" PORT="in_{html_text(column.name)}">'
            f'{html_text(column.name)}</TD>'
            f'<TD ALIGN="LEFT">{html_text(column.type)}'
            f'{"" if column.nullable else " NOT NULL"}</TD>'
            f'<TD PORT="out_{html_text(column.name)}">{keys}</TD></TR>'
        )
    return f'<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0">{"".join(rows)}</TABLE>'


def er_mermaid(tables, edges):
    """Mermaid `erDiagram` text; Mermaid has no groups there, so each table names its blueprint."""
    lines = ["erDiagram"]
    for box in tables:
        lines.append(f"    %% blueprint {box.blueprint}")
        lines.append(f"    {box.name} {{")
        for column in box.columns:
            keys = ",".join(mark for mark, present in (
                ("PK", column.primary_key), ("FK", column.foreign_key), ("UK", column.unique),
            ) if present)
            nullability = "NULL" if column.nullable else "NOT NULL"
            lines.append(
                f"        {mermaid_type(column.type)} {column.name}"
                f"{' ' + keys if keys else ''} \"{nullability}\""
            )
        lines.append("    }")
    for edge in edges:
        one = "|o" if edge.nullable else "||"
        lines.append(
            f"    {edge.referred_table} {one}--o{{ {edge.table} : \"{edge.column}\""
        )
    return "\n".join(lines) + "\n"


def mermaid_type(type_name):
    """Mermaid accepts letters, digits, -, _, () and [] in a type: no spaces or commas."""
    return type_name.replace(", ", "-").replace(",", "-").replace(" ", "_")
