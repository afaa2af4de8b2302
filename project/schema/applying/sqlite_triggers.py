"""SQLite: a batch rebuild of a table keeps its triggers and its indexes on expressions, and
the views and triggers that name it.

Batch mode rebuilds a table as CREATE TABLE _alembic_tmp_T, copy the rows,
DROP TABLE T, ALTER TABLE _alembic_tmp_T RENAME TO T. The DROP takes T's
triggers with it, silently, and its indexes on expressions (`lower(email)`),
which SQLAlchemy cannot reflect and batch mode so never makes again: a unique
one was a rule the data lost. A view or another table's trigger that names T
makes the RENAME fail ("error in view v: no such table: main.T"), since SQLite
re-reads the whole schema when a table is renamed.

So, watching the statements of the migration connection: just before that
DROP, the triggers and views that depend on T are read from sqlite_master and
dropped; just after that RENAME, they are created again from their own SQL,
and SQLite is made to re-read the schema. One that no longer fits the rebuilt
table (a trigger naming a column the revision drops) fails the revision,
named, and the revision's transaction rolls back.
"""
import re
import sqlite3

from sqlalchemy import event

from project.schema.applying.sqlite_rebuilds import (
    table_dropped_for_rebuild,
    table_replaced_by_copy,
)

# A scratch table whose rename makes SQLite re-read every trigger and view in the schema.
SCHEMA_PROBE = "_project_schema_probe"


class TriggerCannotBeKept(Exception):
    """A trigger or view that named a rebuilt table no longer fits it."""


class TriggerKeeper:
    """Listens on one connection for batch rebuilds; keeps their triggers and views."""

    def __init__(self, connection):
        self.driver = connection.connection.driver_connection
        self.saved = {}
        event.listen(connection, "before_cursor_execute", self._before)
        event.listen(connection, "after_cursor_execute", self._after)

    def _before(self, connection, cursor, statement, parameters, context, executemany):
        table = table_dropped_for_rebuild(self.driver, statement)
        if table:
            self.saved[table] = dependents(self.driver, table)
            for kind, name, _sql in reversed(self.saved[table]):
                self.driver.execute(f"DROP {kind.upper()} {quote(name)}")

    def _after(self, connection, cursor, statement, parameters, context, executemany):
        table = table_replaced_by_copy(statement)
        if table:
            self._recreate(table)

    def _recreate(self, table):
        saved = self.saved.pop(table, [])
        if not saved:
            return
        for kind, name, sql in saved:
            try:
                self.driver.execute(sql)
            except sqlite3.Error as error:
                raise TriggerCannotBeKept(cannot_keep_message(table, kind, name, error)) from error
        try:
            reread_schema(self.driver)
        except sqlite3.Error as error:
            raise TriggerCannotBeKept(cannot_keep_message(table, None, None, error)) from error


def dependents(driver, table):
    """[(kind, name, sql)] of the triggers and views that depend on `table`, in creation order,
    then the table's indexes on expressions.

    A trigger on the table, and any trigger or view whose SQL names it as a
    word; then, transitively, what names such a view. Matching a word finds a
    superset (a column of the same name, say): those are dropped and created
    again unchanged, which costs nothing.
    """
    objects = driver.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE type IN ('trigger', 'view') AND sql IS NOT NULL ORDER BY rowid"
    ).fetchall()
    names, found = {table.lower()}, []
    while True:
        added = [
            (kind, name, sql) for kind, name, on, sql in objects
            if (kind, name, sql) not in found
            and (on.lower() in names or any(names_word(sql, word) for word in names))
        ]
        if not added:
            break
        found.extend(added)
        names.update(name.lower() for kind, name, _ in added if kind == "view")
    order = [(kind, name, sql) for kind, name, _on, sql in objects]
    return sorted(found, key=order.index) + [
        ("index", name, sql) for name, sql in expression_indexes(driver.execute, table)
    ]


def expression_indexes(execute, table):
    """[(name, CREATE INDEX statement)] of the table's indexes with a key on an expression
    (index_xinfo's column number -2): those SQLAlchemy cannot reflect, nor batch mode make
    again. `execute`: a sqlite3 connection's, or a SQLAlchemy connection's exec_driver_sql."""
    indexes = list(execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL ORDER BY rowid", (table,)
    ))
    return [
        (name, sql) for name, sql in indexes
        if any(row[1] == -2 for row in execute(f"PRAGMA index_xinfo({quote(name)})"))
    ]


def names_word(sql, word):
    return re.search(rf'(?<![\w$]){re.escape(word)}(?![\w$])', sql, re.IGNORECASE) is not None


def reread_schema(driver):
    """Make SQLite resolve every trigger and view against the tables as they now are.

    CREATE TRIGGER does not check the columns its body names; renaming any
    table does check every trigger and view, and says which one fails.
    """
    driver.execute(f"CREATE TABLE {SCHEMA_PROBE} (probe INTEGER)")
    driver.execute(f"ALTER TABLE {SCHEMA_PROBE} RENAME TO {SCHEMA_PROBE}_renamed")
    driver.execute(f"DROP TABLE {SCHEMA_PROBE}_renamed")


def cannot_keep_message(table, kind, name, error):
    what = f"the {kind} {name}" if name else "a trigger or view"
    return (
        f"rebuilding table {table} drops its triggers and the views that name it; {what} "
        f"cannot be created again on the rebuilt table ({error}): drop it in this revision "
        f"before the batch operation (op.execute(\"DROP {(kind or 'trigger').upper()} ...\")), "
        "and create what should replace it after"
    )


def quote(identifier):
    return '"' + identifier.replace('"', '""') + '"'
