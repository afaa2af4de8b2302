"""Reading the database as it stands at some revision: its rows, and rows to write into it.

Everything here works from the reflected schema or plain SQL, never from
today's models, which describe only the head of the history. `execute`, `rows`
and `columns` work on the app's database (an `empty_app` test's).
"""
import datetime
import decimal
import re

import sqlalchemy as sa

from project.extensions import db
from tests.migrations.seeds import SEEDS_BEFORE

DECLARATION = re.compile(r"^Downgrade cannot restore:\s*(.+)$", re.MULTILINE)
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?")


def execute(sql, **parameters):
    with db.engine.begin() as connection:
        connection.execute(sa.text(sql), parameters)


def rows(sql):
    with db.engine.connect() as connection:
        return connection.execute(sa.text(sql)).all()


def columns(table):
    return {column["name"] for column in sa.inspect(db.engine).get_columns(table)}


def write_ada_and_grace():
    """Users 1 (Ada) and 2 (Grace), whom the rows of the history tests belong to."""
    execute("INSERT INTO users (id, name, email, session_token) VALUES "
            "(1, 'Ada', 'ada@example.com', 't1'), (2, 'Grace', 'grace@example.com', 't2')")


def declared_losses(revision_script):
    """The `table` and `table.column` names a revision's docstring says its downgrade loses.

    The docstring holds a line `Downgrade cannot restore: users.email, teams (why)`;
    names run up to the first parenthesis or full stop.
    """
    match = DECLARATION.search(revision_script.module.__doc__ or "")
    if not match:
        return set()
    listed = re.split(r"[(]|\.\s|\.$", match.group(1))[0]
    return set(NAME.findall(listed))


def reflect(connection):
    metadata = sa.MetaData()
    metadata.reflect(connection)
    if "alembic_version" in metadata.tables:
        metadata.remove(metadata.tables["alembic_version"])
    return metadata


def schema_names(connection):
    """Every `table` and `table.column` name, as `declared_losses` spells them."""
    names = set()
    for table in reflect(connection).tables.values():
        names.add(table.name)
        names.update(f"{table.name}.{column.name}" for column in table.columns)
    return names


def snapshot(connection):
    """{table: {primary key: {column: value}}} for every table but alembic_version."""
    tables = {}
    for table in reflect(connection).sorted_tables:
        key_columns = [column.name for column in table.primary_key.columns]
        rows = connection.execute(sa.select(table)).mappings()
        tables[table.name] = {tuple(row[k] for k in key_columns): dict(row) for row in rows}
    return tables


def differences(before, after, exempt=frozenset()):
    """What of `before` is missing or changed in `after`, as readable lines.

    Only tables and columns present on both sides are compared; `exempt` names
    (`table` or `table.column`) are skipped.
    """
    found = []
    for table, rows in before.items():
        if table not in after or table in exempt:
            continue
        for key, row in rows.items():
            if key not in after[table]:
                found.append(f"{table} row {key} is gone")
                continue
            for column, value in row.items():
                if f"{table}.{column}" in exempt or column not in after[table][key]:
                    continue
                if after[table][key][column] != value:
                    found.append(
                        f"{table}.{column} of row {key}: {value!r} became "
                        f"{after[table][key][column]!r}"
                    )
    return found


def write_rows(connection, revision_id, row_number):
    """Write one generated row into every table, plus the revision's seeds.

    `row_number` keeps keys and unique values apart from rows written earlier.
    Tables that SEEDS_BEFORE fills for `revision_id` get those rows instead.
    """
    seeds = SEEDS_BEFORE.get(revision_id, {})
    inspector = sa.inspect(connection)
    written = {}
    for table in reflect(connection).sorted_tables:
        if table.name in seeds:
            rows = seeds[table.name]
        else:
            allowed = allowed_values(inspector.get_check_constraints(table.name))
            rows = [generated_row(table, row_number, written, allowed)]
        connection.execute(sa.insert(table), rows)
        written[table.name] = rows[-1]


def generated_row(table, row_number, written, allowed):
    row = {}
    for column in table.columns:
        foreign_key = next(iter(column.foreign_keys), None)
        if foreign_key is not None:
            parent = written.get(foreign_key.column.table.name)
            row[column.name] = parent[foreign_key.column.name] if parent else None
        elif column.name in allowed:
            choices = allowed[column.name]
            row[column.name] = choices[row_number % len(choices)]
        else:
            row[column.name] = value_for(column, row_number)
    return row


# A CHECK that lists the values a column may hold: how SQLite keeps an Enum.
VALUE_LIST_CHECK = re.compile(r"^\W*(\w+)\W*\s+IN\s*\((.*)\)\W*$", re.IGNORECASE | re.DOTALL)


def allowed_values(check_constraints):
    """{column: [values]} for each reflected CHECK of the form `column IN ('a', 'b')`."""
    allowed = {}
    for check in check_constraints:
        match = VALUE_LIST_CHECK.match(check["sqltext"].strip())
        if match:
            allowed[match.group(1)] = re.findall(r"'((?:[^']|'')*)'", match.group(2))
    return allowed


def value_for(column, row_number):
    column_type = column.type
    if isinstance(column_type, sa.Enum) and column_type.enums:
        return column_type.enums[row_number % len(column_type.enums)]
    if isinstance(column_type, sa.Boolean):
        return row_number % 2 == 0
    if isinstance(column_type, sa.Integer):
        return 1000 + row_number
    if isinstance(column_type, sa.Numeric):
        return decimal.Decimal(row_number) + decimal.Decimal("0.5") if column_type.asdecimal \
            else row_number + 0.5
    if isinstance(column_type, sa.DateTime):
        return datetime.datetime(2020, 1, 1, 12, 0) + datetime.timedelta(days=row_number)
    if isinstance(column_type, sa.Date):
        return datetime.date(2020, 1, 1) + datetime.timedelta(days=row_number)
    if isinstance(column_type, sa.LargeBinary):
        return f"bytes-{row_number}".encode()
    if isinstance(column_type, sa.String):
        text = f"{row_number}-{column.name}"
        return text[: column_type.length] if column_type.length else text
    raise NotImplementedError(
        f"no generated value for {column.table.name}.{column.name} ({column_type}); "
        "add rows for it to tests/migrations/seeds.py"
    )
