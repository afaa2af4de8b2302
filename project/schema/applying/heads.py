"""Two teams branching from the same head: say so, and give the exact command that joins them."""


def multiple_heads_message(script_directory):
    """Return a one-line explanation if the history has more than one head, else None."""
    heads = sorted(script_directory.get_revisions("heads"), key=lambda rev: rev.revision)
    if len(heads) < 2:
        return None
    described = ", ".join(f"{head.revision} ({head.doc})" for head in heads)
    ids = " ".join(head.revision for head in heads)
    return (
        f"the migration history has {len(heads)} heads: {described}; join them with: "
        f'flask db merge -m "merge heads" {ids}'
    )
