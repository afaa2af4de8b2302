"""At `flask db migrate` on PostgreSQL: indexes on existing tables built without blocking writes.

A plain CREATE INDEX holds a SHARE lock for as long as the build takes: no
row of the table can be written meanwhile. CREATE INDEX CONCURRENTLY lets
writes go on, but cannot run inside a transaction, so it goes in an
`autocommit_block()`, out of the batch that autogenerate put it in (the
batch is cut in two around it, so the order of the operations stays):

    with op.get_context().autocommit_block():
        op.create_index('ix_tasks_title', 'tasks', ['title'], unique=False,
                        postgresql_concurrently=True)

Every table that exists already is treated so, whatever its rows in the
development database: production's rows are what count, and they are not
here to be counted. An index on a table the revision creates or drops (in
either direction) goes with the table, as before. Dropping an index (in either direction) is made
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
from project.schema.authoring.op_tree import leaf_operations

CONCURRENTLY = "postgresql_concurrently"


class ConcurrentIndexOp(ops.MigrateOperation):
    """A create_index or drop_index (acknowledged or not), concurrent, outside a transaction."""

    def __init__(self, op):
        self.op = op
        unwrapped(op).kw[CONCURRENTLY] = True

    def to_diff_tuple(self):
        return self.op.to_diff_tuple()

    def reverse(self):
        return ConcurrentIndexOp(unwrapped(self.op).reverse())


@renderers.dispatch_for(ConcurrentIndexOp)
def render_concurrent_index(autogen_context, concurrent):
    inner = "\n".join(render_op(autogen_context, concurrent.op))
    indented = "\n".join(f"    {line}" for line in inner.splitlines())
    return f"with op.get_context().autocommit_block():\n{indented}\n"


@Operations.implementation_for(ConcurrentIndexOp)
def run_concurrent_index(operations, concurrent):
    with operations.get_context().autocommit_block():
        operations.invoke(concurrent.op)


def unwrapped(op):
    """The operation itself, without the acknowledgment mark around it."""
    return op.op if isinstance(op, AcknowledgedOp) else op


def is_index_change(op, existing_tables):
    inner = unwrapped(op)
    return isinstance(inner, (ops.CreateIndexOp, ops.DropIndexOp)) and \
        inner.table_name in existing_tables


def build_indexes_concurrently(script, connection):
    """Rewrite the MigrationScript `script`'s index changes on existing tables to be concurrent."""
    # A table the revision creates or drops (in either direction) goes with its indexes.
    created_or_dropped = {
        unwrapped(op).table_name
        for directions in (script.upgrade_ops, script.downgrade_ops)
        for _, op in leaf_operations(directions)
        if isinstance(unwrapped(op), (ops.CreateTableOp, ops.DropTableOp))
    }
    existing_tables = set(sa.inspect(connection).get_table_names()) - created_or_dropped
    for directions in (script.upgrade_ops, script.downgrade_ops):
        directions.ops = rewritten(directions.ops, existing_tables)


def rewritten(top_level_ops, existing_tables):
    """Each index change on an existing table taken out of its batch, where it stood.

    The batch is cut in two around it rather than the index moved to one end:
    the order is the one ordering.py chose for every backend (MariaDB refuses
    to drop an index that a foreign key still needs), and the script may run
    on any of them.
    """
    result = []
    for op in top_level_ops:
        if isinstance(op, ops.ModifyTableOps):
            result.extend(split_batch(op, existing_tables))
        elif is_index_change(op, existing_tables):
            result.append(ConcurrentIndexOp(op))
        else:
            result.append(op)
    return result


def split_batch(batch, existing_tables):
    """The batch's ops, each index change concurrent between batches of the ops around it."""
    if not any(is_index_change(op, existing_tables) for op in batch.ops):
        return [batch]
    pieces, run = [], []
    for op in batch.ops:
        if is_index_change(op, existing_tables):
            if run:
                pieces.append(ops.ModifyTableOps(batch.table_name, run, schema=batch.schema))
                run = []
            pieces.append(ConcurrentIndexOp(op))
        else:
            run.append(op)
    if run:
        pieces.append(ops.ModifyTableOps(batch.table_name, run, schema=batch.schema))
    return pieces
