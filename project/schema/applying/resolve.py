"""Settling a partly applied revision, so that upgrades and downgrades may run again.

Three ways, as with Prisma's `migrate resolve` and Flyway's `repair`: the
operator finished the revision by hand (`applied`: the version moves past
it), undid it by hand (`rolled_back`: the version stays), or asks that what
it added be dropped (`undo`). Undo drops exactly what the mark says stayed,
rather than running the revision's downgrade(): that was written for a
revision that completed, and stops at the first object the failure never
created. What a failure removed or changed cannot be put back that way.
"""
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.util import CommandError

from project.schema.applying.partial import clear_partial_revision, read_partial_revision
from project.schema.applying.schema_changes import ADDED, REMOVED, schema_picture

APPLIED, ROLLED_BACK, UNDO = "applied", "rolled-back", "undo"

# Dropped in this order: what points at a table before the table.
UNDO_ORDER = ["foreign key", "check constraint", "unique constraint", "index", "column",
              "table", "type"]
CONSTRAINT_TYPES = {
    "foreign key": "foreignkey", "check constraint": "check", "unique constraint": "unique",
}


def resolve_partial_revision(connection, script_directory, how):
    """Settle the marked revision `how` (APPLIED, ROLLED_BACK or UNDO); return what was done."""
    with connection.begin():
        partial = read_partial_revision(connection)
    if partial is None:
        raise CommandError(
            "no partly applied revision is marked on this database: nothing to resolve"
        )
    if how == APPLIED:
        done = stamp_past(connection, script_directory, partial)
    elif how == ROLLED_BACK:
        with connection.begin():
            refuse_what_is_still_there(connection, partial)
        done = f"revision {partial.revision} recorded as rolled back; the version is unchanged"
    else:
        done = undo(connection, partial)
    with connection.begin():
        clear_partial_revision(connection)
    return f"{done}. The mark is cleared: `flask db upgrade` and `downgrade` run again."


def stamp_past(connection, script_directory, partial):
    """Record the failed step as done: the version the step was going to."""
    script = script_directory.get_revision(partial.revision)
    if partial.direction == "upgrade":
        target = script.revision
    else:
        target = script.down_revision or "base"
    with connection.begin():
        MigrationContext.configure(connection).stamp(script_directory, target)
    shown = target if isinstance(target, str) else ", ".join(target)
    return f"revision {partial.revision} recorded as {partial.direction}d: the version is {shown}"


def refuse_what_is_still_there(connection, partial):
    now = schema_picture(connection)
    left = [change for change in partial.what_stayed if not settled(change, now)]
    if left:
        raise CommandError(
            "the schema still holds what the failed revision left: "
            + "; ".join(change.describe() for change in left)
            + ". Undo it first (or run `flask db resolve --undo`); if the revision is in fact "
            "complete, run `flask db resolve --applied`"
        )


def settled(change, picture):
    """Whether `change` is undone in `picture`; a changed definition cannot be told apart."""
    present = change.key in picture
    if change.change == ADDED:
        return not present
    if change.change == REMOVED:
        return present
    return True


def undo(connection, partial):
    cannot = [change for change in partial.what_stayed
              if change.change != ADDED or change.name.startswith("unnamed")]
    if cannot:
        raise CommandError(
            "flask db resolve --undo can only drop what the revision added; put these back by "
            "hand (from your dump), then run `flask db resolve --rolled-back`: "
            + "; ".join(change.describe() for change in cannot)
        )
    operations = Operations(MigrationContext.configure(connection))
    to_drop = sorted(partial.what_stayed, key=lambda change: UNDO_ORDER.index(change.kind))
    dropped = []
    for change in to_drop:
        try:
            with connection.begin():
                # A second --undo after one that stopped part-way skips what is gone already.
                if settled(change, schema_picture(connection)):
                    continue
                drop(operations, connection, change)
        except sa.exc.DBAPIError as error:
            reason = str(error.orig).strip().splitlines()[0]
            raise CommandError(
                f"could not drop {change.what}: {reason}. Dropped before "
                f"it: {', '.join(dropped) or 'nothing'}; the mark stays"
            ) from error
        dropped.append(change.what)
    return f"dropped what revision {partial.revision} left: {', '.join(dropped) or 'nothing'}"


def drop(operations, connection, change):
    if change.kind == "table":
        operations.drop_table(change.name)
    elif change.kind == "column":
        operations.drop_column(change.table, change.name)
    elif change.kind == "index":
        operations.drop_index(change.name, table_name=change.table)
    elif change.kind == "type":
        postgresql.ENUM(name=change.name).drop(connection)
    else:
        operations.drop_constraint(change.name, change.table, type_=CONSTRAINT_TYPES[change.kind])
