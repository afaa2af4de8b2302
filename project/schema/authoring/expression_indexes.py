"""SQLite: indexes on expressions, `Index("ix_teams_lower_name", func.lower(Team.name))`.

SQLAlchemy cannot reflect them from SQLite, so Alembic's autogenerate skips
them there with a warning: such an index added to a model wrote no revision,
`flask db check` called the database clean, and a team that writes its
revisions on SQLite, the default, shipped PostgreSQL without the index (a
unique one: without its rule). Here, on SQLite, the models' indexes on
expressions are compared with the statements sqlite_master keeps, by name and
by statement (both read with sqlglot, so spelling and quoting are no change),
and written as PostgreSQL's own comparison writes them: `create_index` with
the expressions, `drop_index` with the old ones for the downgrade.

Each in a batch block of its own, around the table's other changes (batch mode
copying the table would not find it). A batch rebuild keeps them:
applying/sqlite_triggers.py.
"""
import warnings

import sqlglot
from alembic.autogenerate import comparators
from alembic.operations import ops
from alembic.util.langhelpers import DispatchPriority
from sqlalchemy import Column, text
from sqlalchemy.schema import CreateIndex

from project.schema.applying.sqlite_triggers import expression_indexes
from project.schema.authoring.checks import databases_of, only_on_its_databases

# Both are about the indexes this module compares on SQLite.
warnings.filterwarnings(
    "ignore", message="autogenerate skipping metadata-specified expression-based index .*"
    "dialect 'sqlite'")
warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based")


@comparators.dispatch_for("schema", priority=DispatchPriority.LAST)
def compare_expression_indexes(autogen_context, upgrade_ops, schemas):
    if autogen_context.dialect.name != "sqlite" or autogen_context.connection is None:
        return
    existing = set(autogen_context.inspector.get_table_names())
    for table in autogen_context.metadata.sorted_tables:
        if table.schema is None and table.name in existing:
            drops, creates = changed_indexes(autogen_context, table)
            place_around_table(upgrade_ops, table.name, drops, creates)


def changed_indexes(autogen_context, table):
    """([drop_index], [create_index]) that bring the table's indexes on expressions to the
    models' (those the models make on SQLite: `.ddl_if` may leave one to the others)."""
    dialect = autogen_context.dialect
    wanted = {
        str(index.name): index for index in table.indexes
        if on_expressions(index) and "sqlite" in (databases_of(index) or ("sqlite",))
    }
    stored = dict(expression_indexes(autogen_context.connection.exec_driver_sql, table.name))
    changed = {name for name in stored.keys() & wanted.keys()
               if not same_statement(stored[name], created(wanted[name], dialect))}
    drops = [drop_op(table.name, name, stored[name])
             for name in sorted(stored) if name not in wanted or name in changed]
    creates = [only_on_its_databases(ops.CreateIndexOp.from_index(wanted[name]), wanted[name])
               for name in sorted(wanted) if name not in stored or name in changed]
    return drops, creates


def place_around_table(upgrade_ops, table_name, drops, creates):
    """The drops in a block of their own before the table's others, the creations in one
    after: batch mode, when it copies the table for another change, knows no index it
    could not reflect, and fails on one named in the same block."""
    blocks = [position for position, op in enumerate(upgrade_ops.ops)
              if isinstance(op, ops.ModifyTableOps) and op.table_name == table_name]
    if creates:
        after = blocks[-1] + 1 if blocks else len(upgrade_ops.ops)
        upgrade_ops.ops.insert(after, ops.ModifyTableOps(table_name, creates))
    if drops:
        before = blocks[0] if blocks else len(upgrade_ops.ops)
        upgrade_ops.ops.insert(before, ops.ModifyTableOps(table_name, drops))


def on_expressions(index):
    return any(not isinstance(expression, Column) for expression in index.expressions)


def created(index, dialect):
    return str(CreateIndex(index).compile(dialect=dialect))


def same_statement(one, other):
    return canonical(one) == canonical(other)


def canonical(statement):
    return sqlglot.parse_one(statement, read="sqlite").sql(dialect="sqlite", normalize=True)


def drop_op(table_name, name, statement):
    """`drop_index`, whose reverse makes the index again as the statement made it."""
    create = sqlglot.parse_one(statement, read="sqlite")
    parameters = create.this.args["params"]
    where = parameters.args.get("where")
    recreate = ops.CreateIndexOp(
        name, table_name,
        [text(key.sql(dialect="sqlite")) for key in parameters.args["columns"]],
        unique=bool(create.args.get("unique")),
        **({"sqlite_where": text(where.this.sql(dialect="sqlite"))} if where else {}),
    )
    return DropStoredIndexOp(name, table_name=table_name, _reverse=recreate)


class DropStoredIndexOp(ops.DropIndexOp):
    """`drop_index` whose downgrade makes the index again as it was, unique or not: Alembic's
    own rebuilds it from the drop's arguments, which know nothing of that."""

    def reverse(self):
        return self._reverse
