"""SQLite: foreign keys hold through every revision, enforced where batch mode allows, checked.

Batch mode rebuilds a table by copy, drop and rename; with enforcement on, the
drop would fire ON DELETE CASCADE on every child row. So a revision step whose
function (its `upgrade()` or `downgrade()`, with the functions of its file
that it calls) uses `batch_alter_table` runs with `PRAGMA foreign_keys=OFF`,
and any other runs with it ON, so that a data step's DELETE cascades (or sets
NULL) as the schema says. A rebuild that runs with enforcement on all the same
(batch mode reached through code the source does not show) is stopped before
its DROP. Before a revision run with enforcement off commits, `PRAGMA
foreign_key_check` must find no row pointing at a row that does not exist
(with enforcement on, SQLite has refused each statement that would leave one).
Which revisions rebuild is read from their files once (applying/script_facts.py).

The pragma cannot change inside a transaction, and Alembic begins each
revision's transaction (`transaction_per_migration`) right after taking the
step from its plan; so the plan is wrapped, and the pragma set as each step is
handed over. `PRAGMA defer_foreign_keys` was the other way: it can be set
inside a transaction, but it defers only the check, not the ON DELETE
actions, which would still cascade during a rebuild. Deciding per revision,
from its source, before its transaction begins, is what both needs allow.
"""
from collections import defaultdict
from contextlib import contextmanager

from sqlalchemy import event

from project.schema.applying.script_facts import facts_of
from project.schema.applying.sqlite_rebuilds import table_dropped_for_rebuild

# Rows named per table in the message; the count says how many more.
ROWS_NAMED = 5


class ForeignKeyViolation(Exception):
    """A revision left rows pointing at rows that do not exist."""


def set_foreign_keys(connection, enforced):
    """Set the pragma outside any transaction, where SQLite honours it."""
    if connection.in_transaction():
        # Only Alembic's reads (and the empty version table at base) are pending here.
        connection.commit()
    state = "ON" if enforced else "OFF"
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={state}")


def enforce_per_revision(migration_context):
    """Set `PRAGMA foreign_keys` before each step's transaction: OFF for batch revisions.

    Must be the outermost wrapper of Alembic's plan: a wrapper that lists the
    steps first would run this for every step before the first one began.
    """
    connection = migration_context.connection
    if not migration_context.opts.get("transaction_per_migration"):
        # One transaction for every revision: the pragma cannot change between them.
        set_foreign_keys(connection, enforced=False)
        return
    plan = migration_context._migrations_fn

    def steps_with_their_pragma(heads, context):
        steps = list(plan(heads, context))
        # Read before the first step, at once: one pass over the files, one cache write.
        facts = facts_of(getattr(step, "revision", None) for step in steps)
        enforced = None
        for step in steps:
            script = getattr(step, "revision", None)
            batch = script is not None \
                and facts[script.revision].rebuilds[step.migration_fn.__name__]
            # Set only when it changes: a revision cannot change it inside its transaction.
            if enforced is not (not batch):
                enforced = not batch
                set_foreign_keys(connection, enforced=enforced)
            yield step

    migration_context._migrations_fn = steps_with_their_pragma


class RebuildWithForeignKeysOn(Exception):
    """A table rebuild about to cascade its drop to the child rows."""


def refuse_rebuilds_with_foreign_keys_on(connection):
    """Fail a revision whose table rebuild would run with enforcement on, before its DROP.

    The check before commit cannot see this loss: ON DELETE CASCADE leaves no
    orphans, only fewer rows.
    """
    driver = connection.connection.driver_connection

    def before(connection, cursor, statement, parameters, context, executemany):
        table = table_dropped_for_rebuild(driver, statement)
        if table and driver.execute("PRAGMA foreign_keys").fetchone()[0]:
            raise RebuildWithForeignKeysOn(
                f"batch mode is rebuilding table {table} with foreign keys enforced, which "
                "would delete or change the rows that point at it; call batch_alter_table "
                "in the revision's own upgrade() or downgrade() or a function of its file, "
                "where it is seen and foreign keys are turned off for the revision"
            )

    event.listen(connection, "before_cursor_execute", before)


@contextmanager
def foreign_keys_enforced_afterwards(connection):
    """Whatever happened, hand the connection back to the pool with enforcement on."""
    try:
        yield
    finally:
        if connection.in_transaction():
            connection.rollback()
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def check_foreign_keys(ctx, step, heads, run_args):
    """Alembic's on_version_apply callback: refuse to commit a revision that left orphans.

    A revision that ran with enforcement on could not leave any: SQLite refused
    each statement that would have. Only those run with it off are checked.
    """
    if step.is_stamp or foreign_keys_enforced(ctx.connection):
        return
    orphans = orphan_rows(ctx.connection)
    if orphans:
        revision = step.up_revision
        direction = "upgrade" if step.is_upgrade else "downgrade"
        raise ForeignKeyViolation(
            f"the {direction} of revision {revision.revision} ({revision.doc}) leaves rows "
            f"pointing at rows that do not exist: {describe(orphans)}"
        )


def foreign_keys_enforced(connection):
    driver = connection.connection.driver_connection
    return bool(driver.execute("PRAGMA foreign_keys").fetchone()[0])


def orphan_rows(connection):
    """{(table, parent table, (columns...)): [(rowid, (values...)), ...]} of every violation.

    Values are read for the rows the message names; the others are only counted.
    """
    driver = connection.connection.driver_connection
    orphans = defaultdict(list)
    references = {}
    for table, rowid, parent, key_id in driver.execute("PRAGMA foreign_key_check").fetchall():
        if table not in references:
            references[table] = foreign_key_columns(driver, table)
        columns = references[table][key_id]
        rows = orphans[(table, parent, columns)]
        named = len(rows) < ROWS_NAMED and rowid is not None
        rows.append((rowid, row_values(driver, table, columns, rowid) if named else ()))
    return dict(orphans)


def row_values(driver, table, columns, rowid):
    quoted = ", ".join(quote(column) for column in columns)
    return driver.execute(
        f"SELECT {quoted} FROM {quote(table)} WHERE rowid = ?", (rowid,)
    ).fetchone()


def foreign_key_columns(driver, table):
    """{foreign key id: (child columns...)} of a table, in the key's column order."""
    columns = defaultdict(list)
    for key_id, sequence, _parent, child_column, *_ in sorted(
        driver.execute(f"PRAGMA foreign_key_list({quote(table)})").fetchall(),
        key=lambda row: (row[0], row[1]),
    ):
        columns[key_id].append(child_column)
    return {key_id: tuple(names) for key_id, names in columns.items()}


def describe(orphans):
    parts = []
    for (table, parent, columns), rows in orphans.items():
        named = ", ".join(
            f"rowid {rowid} ({', '.join(f'{c}={v!r}' for c, v in zip(columns, values))})"
            if rowid is not None else "a row without rowid"
            for rowid, values in rows[:ROWS_NAMED]
        )
        more = f" and {len(rows) - ROWS_NAMED} more" if len(rows) > ROWS_NAMED else ""
        parts.append(f"{table} {named}{more} -> no such row in {parent}")
    return "; ".join(parts)


def quote(identifier):
    return '"' + identifier.replace('"', '""') + '"'
