"""PostgreSQL: an integer column's sequence follows the column's type.

`serial` makes a sequence `AS integer` beside the column, and `ALTER COLUMN
... TYPE BIGINT` leaves it so: an id widened to BigInteger, the usual way out
for a table about to run out of ids, still stopped at 2,147,483,647 ("nextval:
reached maximum value of sequence"), the limit it was widened to pass. So
after an integer column's type changes, its sequence (`pg_get_serial_sequence`)
is given the same type, in the same transaction. Narrowed back by a
downgrade, it follows too, and refuses if it has handed out a larger value.

Defining `__dialect__` registers the implementation in Alembic's place for
"postgresql", as sqlite_in_place.py does for SQLite.
"""
from alembic.ddl.postgresql import PostgresqlImpl
from sqlalchemy import Integer, text

INTEGER_TYPES = {"smallint", "integer", "bigint"}


class PostgresqlSequencesImpl(PostgresqlImpl):
    __dialect__ = "postgresql"

    def alter_column(self, table_name, column_name, type_=None, schema=None, **kw):
        super().alter_column(table_name, column_name, type_=type_, schema=schema, **kw)
        if isinstance(type_, Integer) and not self.as_sql:
            match_sequence(self.connection, table_name, column_name, schema)


def match_sequence(connection, table_name, column_name, schema=None):
    """Give the column's sequence, if it has one, the column's integer type."""
    table = quoted(table_name) if schema is None else f"{quoted(schema)}.{quoted(table_name)}"
    sequence = connection.scalar(
        text("SELECT pg_get_serial_sequence(:table, :column)"),
        {"table": table, "column": column_name},
    )
    if sequence is None:
        return
    column_type = connection.scalar(
        text("SELECT format_type(atttypid, NULL) FROM pg_attribute "
             "WHERE attrelid = CAST(:table AS regclass) AND attname = :column"),
        {"table": table, "column": column_name},
    )
    if column_type in INTEGER_TYPES:
        connection.execute(text(f"ALTER SEQUENCE {sequence} AS {column_type}"))


def quoted(identifier):
    return '"' + identifier.replace('"', '""') + '"'
