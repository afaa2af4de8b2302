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

(A batch rebuild keeps them: applying/sqlite_triggers.py.)
"""
import warnings

import sqlglot
from alembic.autogenerate import comparators
from alembic.operations import ops
from sqlalchemy import Column, text
from sqlalchemy.schema import CreateIndex

# Both are about the indexes this module compares on SQLite.
warnings.filterwarnings(
    "ignore", message="autogenerate skipping metadata-specified expression-based index .*"
    "dialect 'sqlite'")
warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based")


@comparators.dispatch_for("table")
def compare_expression_indexes(autogen_context, modify_table_ops, schema, table_name,
                               conn_table, metadata_table):
    if (autogen_context.dialect.name != "sqlite" or conn_table is None
            or metadata_table is None or autogen_context.connection is None):
        return
    dialect = autogen_context.dialect
    wanted = {
        str(index.name): index for index in metadata_table.indexes if on_expressions(index)
    }
    stored = stored_expression_indexes(autogen_context.connection, table_name)
    for name in sorted(stored):
        if name not in wanted or not same_statement(stored[name], created(wanted[name], dialect)):
            modify_table_ops.ops.append(drop_op(table_name, name, stored[name]))
    for name in sorted(wanted):
        if name not in stored or not same_statement(stored[name], created(wanted[name], dialect)):
            modify_table_ops.ops.append(ops.CreateIndexOp.from_index(wanted[name]))


def on_expressions(index):
    return any(not isinstance(expression, Column) for expression in index.expressions)


def stored_expression_indexes(connection, table_name):
    """{name: CREATE INDEX statement} of the table's indexes with a key on an expression."""
    rows = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL", (table_name,)
    ).all()
    return {
        name: sql for name, sql in rows
        if any(row[1] == -2 for row in connection.exec_driver_sql(
            f"PRAGMA index_xinfo(\"{name}\")"))
    }


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
