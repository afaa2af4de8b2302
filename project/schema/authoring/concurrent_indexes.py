"""At `flask db migrate` on PostgreSQL: indexes on existing tables built without blocking writes.

A plain CREATE INDEX holds a SHARE lock for as long as the build takes: no
row of the table can be written meanwhile. CREATE INDEX CONCURRENTLY lets
writes go on, but cannot run inside a transaction, so it goes in an
`autocommit_block()`, out of the batch that autogenerate put it in:

    with op.get_context().autocommit_block():
        op.create_index('ix_tasks_title', 'tasks', ['title'], unique=False,
                        postgresql_concurrently=True)

Every table that exists already is treated so, whatever its rows in the
development database: production's rows are what count, and they are not
here to be counted. An index on a table the revision creates is built with
the table, as before. Dropping an index (in either direction) is made
concurrent the same way.

The script runs on every backend: SQLite and MariaDB ignore
`postgresql_concurrently`, and `autocommit_block()` there commits the
revision's work so far and runs the index statement in autocommit mode, which
is what their DDL does anyway.
"""
import sqlalchemy as sa
from alembic.autogenerate import renderers
from alembic.autogenerate.render import render_op
from alembic.operations import Operations, ops

from project.schema.authoring.marks import AcknowledgedOp

CONCURRENTLY = "postgresql_concurrently"


class ConcurrentIndexOp(ops.MigrateOperation):
    """A create_index or drop_index (acknowledged or not), concurrent, outside a transaction."""

    def __init__(self, op):
        self.op = op
        index_op(op).kw[CONCURRENTLY] = True

    def to_diff_tuple(self):
        return self.op.to_diff_tuple()

    def reverse(self):
        return ConcurrentIndexOp(index_op(self.op).reverse())


@renderers.dispatch_for(ConcurrentIndexOp)
def render_concurrent_index(autogen_context, concurrent):
    inner = "\n".join(render_op(autogen_context, concurrent.op))
    indented = "\n".join(f"    {line}" for line in inner.splitlines())
    return f"with op.get_context().autocommit_block():\n{indented}\n"


@Operations.implementation_for(ConcurrentIndexOp)
def run_concurrent_index(operations, concurrent):
    with operations.get_context().autocommit_block():
        operations.invoke(concurrent.op)


def index_op(op):
    return op.op if isinstance(op, AcknowledgedOp) else op


def is_index_change(op, existing_tables):
    inner = index_op(op)
    return isinstance(inner, (ops.CreateIndexOp, ops.DropIndexOp)) and \
        inner.table_name in existing_tables


def is_drop(op):
    return isinstance(index_op(op), ops.DropIndexOp)


def build_indexes_concurrently(script, connection):
    """Rewrite the MigrationScript `script`'s index changes on existing tables to be concurrent."""
    existing_tables = set(sa.inspect(connection).get_table_names())
    for directions in (script.upgrade_ops, script.downgrade_ops):
        directions.ops = rewritten(directions.ops, existing_tables)


def rewritten(top_level_ops, existing_tables):
    """Each index change taken out of its batch: a create after it, a drop before it."""
    result = []
    for op in top_level_ops:
        if isinstance(op, ops.ModifyTableOps):
            moved = [o for o in op.ops if is_index_change(o, existing_tables)]
            op.ops = [o for o in op.ops if not any(o is m for m in moved)]
            drops = [ConcurrentIndexOp(o) for o in moved if is_drop(o)]
            creates = [ConcurrentIndexOp(o) for o in moved if not is_drop(o)]
            result.extend(drops + ([op] if op.ops else []) + creates)
        elif is_index_change(op, existing_tables):
            result.append(ConcurrentIndexOp(op))
        else:
            result.append(op)
    return result
