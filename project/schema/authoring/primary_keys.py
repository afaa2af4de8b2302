"""A primary key that moves to other columns: Alembic's autogenerate does not compare it.

Written as the old key dropped and the new one made, under the models' name
for it (the naming convention's, the same for both), so that the downgrade
puts the old columns back. MariaDB ignores the name; SQLite rebuilds the
table in batch mode.
"""
from alembic.autogenerate import comparators, renderers
from alembic.operations import ops


class MovePrimaryKeyOp(ops.CreatePrimaryKeyOp):
    """`create_primary_key`, which Alembic's autogenerate has no line for."""


class DropPrimaryKeyOp(ops.DropConstraintOp):
    """The old key's drop, whose reverse is the old key made again (Alembic's is unwritable)."""

    def reverse(self):
        return self._reverse


@comparators.dispatch_for("table")
def compare_primary_key(autogen_context, modify_table_ops, schema, table_name, conn_table,
                        metadata_table):
    if conn_table is None or metadata_table is None:
        return
    old = [column.name for column in conn_table.primary_key.columns]
    new = [column.name for column in metadata_table.primary_key.columns]
    if old == new or not old or not new:
        return
    name = metadata_table.primary_key.name
    restore = MovePrimaryKeyOp(name, table_name, old, schema=schema)
    modify_table_ops.ops.extend([
        DropPrimaryKeyOp(name, table_name, type_="primary", schema=schema, _reverse=restore),
        MovePrimaryKeyOp(name, table_name, new, schema=schema),
    ])


@renderers.dispatch_for(MovePrimaryKeyOp)
def render_move_primary_key(autogen_context, op):
    if autogen_context._has_batch:
        return f"batch_op.create_primary_key(batch_op.f({op.constraint_name!r}), {op.columns!r})"
    return f"op.create_primary_key(op.f({op.constraint_name!r}), {op.table_name!r}, {op.columns!r})"
