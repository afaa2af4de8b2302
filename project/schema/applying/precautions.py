"""What happens once before a migration changes anything: a copy on SQLite, a reminder elsewhere."""
import sqlalchemy as sa

from project.schema.applying.backup import back_up
from project.schema.applying.progress import StatusLine, copy_progress

DUMP_REMINDER = (
    "this database holds data and is about to change: keep a fresh dump from before it "
    "(see 'Before upgrading production' in README.md)"
)


def take_precautions(connection, current_heads, settings, say):
    """Copy a SQLite file database, or remind to dump a server database that holds data.

    On a terminal, the copy shows its progress.
    """
    database = connection.engine.url.database
    if connection.dialect.name == "sqlite":
        keep = settings["SQLITE_BACKUP_KEEP"]
        if keep and database not in (None, "", ":memory:") and holds_a_schema(connection):
            label = "at-" + ("-".join(current_heads) or "base")
            status = StatusLine()
            try:
                copy = back_up(database, label, keep, copy_progress(status, "the database"))
            finally:
                status.clear()
            say(f"copied the database to {copy} before changing it; "
                "`flask db restore` puts it back")
    elif holds_data(connection):
        say(DUMP_REMINDER)


def holds_a_schema(connection):
    """Whether a SQLite file holds anything to lose. Not its size: a new file in WAL mode
    has a header already, and Alembic has made its version table by now."""
    return any(name != "alembic_version" for name in sa.inspect(connection).get_table_names())


def holds_data(connection):
    for name in sa.inspect(connection).get_table_names():
        if name == "alembic_version":
            continue
        first_row = sa.select(sa.literal(1)).select_from(sa.table(name)).limit(1)
        if connection.execute(first_row).first():
            return True
    return False
