"""Downgrades that can run on a table with rows: a dropped NOT NULL column comes back filled.

The upgrade dropped the column (acknowledged); Alembic's downgrade adds it
back NOT NULL with no default, which SQLite and PostgreSQL refuse on a table
with rows and MariaDB fills behind your back. Instead the column is added
with a stated default, so every row gets a value of its type, and the
default is then removed to leave the schema as it was. The values are not
restored: the script's docstring says so ("Downgrade cannot restore").
"""
import datetime
import decimal

from alembic.operations import ops
from sqlalchemy import Column, Enum, text

from project.schema.authoring.op_tree import leaf_operations, replace

FILLERS = {
    str: "''",
    int: "0",
    float: "0",
    decimal.Decimal: "0",
    bool: "false",
    datetime.date: "'1970-01-01'",
    datetime.datetime: "'1970-01-01 00:00:00'",
}


def refill_dropped_not_null_columns(downgrade_ops):
    """Rewrite each `add_column` of a NOT NULL column without a default in the downgrade."""
    for container, op in list(leaf_operations(downgrade_ops)):
        if not isinstance(op, ops.AddColumnOp):
            continue
        column = op.column
        filler = filler_for(column.type)
        if column.nullable or column.server_default is not None or filler is None:
            continue
        filled = Column(column.name, column.type, nullable=False, server_default=text(filler))
        replace(container, op, [ops.AddColumnOp(op.table_name, filled, schema=op.schema)])
        drop_default = ops.AlterColumnOp(
            op.table_name, column.name, schema=op.schema, modify_server_default=None,
            existing_server_default=filled.server_default, existing_type=column.type,
            existing_nullable=False,
        )
        run_after(downgrade_ops, container, drop_default)


def run_after(downgrade_ops, container, op):
    """Put `op` after the batch block `container`, in a block of its own.

    In one block SQLite would rebuild the table with the column already
    without its default, and copy the rows in with NULL.
    """
    if container is downgrade_ops:
        container.ops.append(op)
        return
    position = downgrade_ops.ops.index(container) + 1
    block = ops.ModifyTableOps(container.table_name, [op], schema=container.schema)
    downgrade_ops.ops.insert(position, block)


def filler_for(type_):
    """A literal every database takes for a value of `type_`; None if there is no safe one."""
    if isinstance(type_, Enum) and type_.enums:
        return "'" + type_.enums[0].replace("'", "''") + "'"
    try:
        python_type = type_.python_type
    except NotImplementedError:
        return None
    return FILLERS.get(python_type)
