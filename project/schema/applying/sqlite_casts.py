"""SQLite: a column changed to another kind of value keeps every value, or the revision stops.

A batch copies its table with `CAST(column AS new type)` where the type's
affinity changes, and SQLite's CAST never fails: text that is no number becomes
0 as an INTEGER, '3.5' becomes 3, and '2026-03-01' becomes 2026 as a DATE (a
NUMERIC affinity). PostgreSQL (`USING`) and MariaDB (in strict mode,
mariadb_strict.py) refuse such a value and roll the revision back; SQLite would
lose it without a word.

So before the copy, each value is compared with its cast, the way SQLite
compares a number with text (text that reads as the same number is equal): a
row whose value would change stops the revision before anything is copied, with
the count and the SELECT that finds those rows.
"""
from sqlalchemy import and_, func, select
from sqlalchemy.sql.elements import ColumnClause


class ValuesWouldChange(Exception):
    """A type change would turn values of a column into other values."""


def refuse_lossy_cast(connection, column, cast_value):
    """Stop if a row of `column` (the table's column as it is) holds a value other than
    `cast_value` (the expression the copy will store); `column` must belong to its table."""
    if not isinstance(column, ColumnClause) or column.table is None:
        return
    changed = and_(column.is_not(None), cast_value.is_distinct_from(column))
    table = column.table
    count = connection.scalar(select(func.count()).select_from(table).where(changed))
    if not count:
        return
    finder = select(*table.primary_key.columns, column, cast_value.label("would_become"))
    finder = finder.where(changed)
    sql = " ".join(str(finder.compile(dialect=connection.dialect)).split())
    new_type = cast_value.type.compile(dialect=connection.dialect)
    raise ValuesWouldChange(
        f"{count} row(s) of {table.name}.{column.name} hold a value that would not stay the "
        f"same as {new_type}; change or clear them first, or convert the column by hand (a "
        f"new column, an UPDATE that fills it, then the old one dropped). Find them with: "
        f"{sql}"
    )
