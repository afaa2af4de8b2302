"""Walking and editing the tree of operations that autogenerate proposes.

With `render_as_batch` on, most operations sit inside a `ModifyTableOps`
block per table rather than at the top: every finder and rewriter here
must look inside those blocks.
"""
from alembic.operations import ops


def leaf_operations(container):
    """Yield (container, op) for every op, inside batch `ModifyTableOps` blocks too."""
    for op in container.ops:
        if isinstance(op, ops.OpContainer):
            yield from leaf_operations(op)
        else:
            yield container, op


def table_of(op):
    """The name of the table `op` works on: a foreign key's is its source table."""
    if isinstance(op, ops.CreateForeignKeyOp):
        return op.source_table
    return getattr(op, "table_name", None)


def table_block_operations(operations, table_name):
    """The ops inside the top-level `ModifyTableOps` blocks of one table."""
    return [
        op
        for block in operations.ops
        if isinstance(block, ops.ModifyTableOps) and block.table_name == table_name
        for op in block.ops
    ]


def replace(container, op, replacements):
    """Put the list `replacements` where `op` stands in `container`: none removes it."""
    index = next(position for position, candidate in enumerate(container.ops) if candidate is op)
    container.ops[index:index + 1] = replacements
