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

Text made a `Date` is the one change SQLite's CAST cannot make at all, and
needs none: SQLAlchemy keeps a date there as its ISO text ('2026-03-01'). The
text is copied as it is, once SQLite's own date() reads every value back
unchanged; '2026-3-1' or 'soon' stops the revision the same way.
"""
from sqlalchemy import Date, String, and_, func, select
from sqlalchemy.sql.elements import ColumnClause


class ValuesWouldChange(Exception):
    """A type change would turn values of a column into other values."""


def copies_as_text(existing_type, new_type):
    """Text made a Date (a DateTime is no Date: its text SQLite's date() would cut)."""
    return isinstance(existing_type, String) and isinstance(new_type, Date)


def refuse_lossy_cast(connection, column, cast_value):
    """Stop if a row of `column` (the table's column as it is) holds a value other than
    `cast_value` (the expression the copy will store)."""
    refuse_changed_values(connection, column, cast_value, cast_value.type)


def refuse_text_not_dates(connection, column):
    """Stop if a row of `column` holds text that SQLite's date() does not give back as it is."""
    refuse_changed_values(connection, column, func.date(column), Date())


def refuse_changed_values(connection, column, read_as, new_type):
    """Stop if a row of `column` holds a value other than `read_as`, its reading as `new_type`;
    `column` must belong to its table."""
    if not isinstance(column, ColumnClause) or column.table is None:
        return
    changed = and_(column.is_not(None), read_as.is_distinct_from(column))
    table = column.table
    count = connection.scalar(select(func.count()).select_from(table).where(changed))
    if not count:
        return
    finder = select(*table.primary_key.columns, column, read_as.label("would_become"))
    finder = finder.where(changed)
    sql = " ".join(str(finder.compile(dialect=connection.dialect)).split())
    type_name = new_type.compile(dialect=connection.dialect)
    raise ValuesWouldChange(
        f"{count} row(s) of {table.name}.{column.name} hold a value that would not stay the "
        f"same as {type_name}; change or clear them first, or convert the column by hand (a "
        f"new column, an UPDATE that fills it, then the old one dropped). Find them with: "
        f"{sql}"
    )
