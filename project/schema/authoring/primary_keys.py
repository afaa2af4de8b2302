"""A primary key that moves to other columns: Alembic's autogenerate does not compare it.

Written as `batch_op.replace_primary_key(name, old_columns, new_columns)`
(project.schema.applying.key_ops), under the models' name for the key (the
naming convention's, the same before and after), so that the downgrade puts
the old columns back.
"""
from alembic.autogenerate import comparators, renderers

from project.schema.applying.key_ops import ReplacePrimaryKeyOp


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
    modify_table_ops.ops.append(ReplacePrimaryKeyOp(table_name, name, old, new))


@renderers.dispatch_for(ReplacePrimaryKeyOp)
def render_replace_primary_key(autogen_context, op):
    return (
        f"batch_op.replace_primary_key({op.constraint_name!r}, "
        f"old_columns={op.old_columns!r}, new_columns={op.new_columns!r})"
    )
