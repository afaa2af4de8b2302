"""`flask db restore`, the way back to a copy taken before a migration; `flask db resolve`."""
import sys
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import DBAPIError

from project.schema.applying.backup import back_up, copy_database, list_backups
from project.schema.applying.lock import migration_lock
from project.schema.applying.resolve import APPLIED, ROLLED_BACK, UNDO, resolve_partial_revision


@click.command("restore")
@click.argument("backup", required=False)
@click.option("--yes", is_flag=True, help="Restore without asking for confirmation.")
@with_appcontext
def restore_command(backup, yes):
    """List the copies of the SQLite database taken before migrations, or put one back.

    Without BACKUP, lists the copies, newest first. BACKUP is a number from
    that list or a file name. The database as it is now is copied first, so a
    restore can itself be undone.
    """
    db = current_app.extensions["migrate"].db
    database = sqlite_database_path(db.engine.url)
    backups = list_backups(database)
    if backup is None:
        if not backups:
            click.echo(
                f"no copies of {database} yet: `flask db upgrade` makes one before changing it"
            )
        for number, path in enumerate(backups, start=1):
            click.echo(f"{number:>3}  {path.name}  ({path.stat().st_size} bytes)")
        return

    chosen = find_backup(backup, backups)
    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException("add --yes to restore without a terminal to confirm on")
        click.confirm(f"Replace {database} with {chosen.name}?", abort=True)
    with migration_lock(db.engine, current_app.config["MIGRATION_LOCK_TIMEOUT"], click.echo):
        # One more than usual is kept, so the copy being restored is never pruned here.
        before = back_up(database, "before-restore", current_app.config["SQLITE_BACKUP_KEEP"] + 1)
        copy_database(chosen, database)
    click.echo(f"restored {chosen.name}; the database as it was is saved as {before}")


def sqlite_database_path(url):
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise click.ClickException(
            "flask db restore puts back copies of a SQLite file database; for PostgreSQL or "
            "MariaDB, restore your dump (see 'Before upgrading production' in README.md)"
        )
    return url.database


def find_backup(wanted, backups):
    if wanted.isdigit() and 1 <= int(wanted) <= len(backups):
        return backups[int(wanted) - 1]
    for path in backups:
        if path.name == Path(wanted).name:
            return path
    raise click.ClickException(
        f"no copy named {wanted!r}: run `flask db restore` to list them"
    )


@click.command("resolve")
@click.option("--applied", "how", flag_value=APPLIED,
              help="You finished the revision by hand: record it as done (the version moves "
                   "to it, or below it for a failed downgrade) and clear the mark.")
@click.option("--rolled-back", "how", flag_value=ROLLED_BACK,
              help="You undid what the revision left, by hand: check that it is gone, keep "
                   "the version where it is and clear the mark.")
@click.option("--undo", "how", flag_value=UNDO,
              help="Drop what the revision added and stayed (tables, columns, indexes, "
                   "constraints, types), keep the version where it is and clear the mark.")
@with_appcontext
def resolve_command(how):
    """Settle a revision that failed part-way and left part of itself in the database.

    On MariaDB every DDL statement commits, and on PostgreSQL whatever runs in an
    autocommit_block() does: a revision that fails there is neither applied nor
    rolled back. `flask db upgrade` and `downgrade` then refuse, naming what stayed,
    until this command says how it was settled. Give exactly one option.
    """
    if how is None:
        raise click.UsageError("say how the revision was settled: --applied, --rolled-back "
                               "or --undo (see --help)")
    migrate = current_app.extensions["migrate"]
    engine = migrate.db.engine
    try:
        config = migrate.migrate.get_config(migrate.directory)
        script_directory = ScriptDirectory.from_config(config)
        with migration_lock(engine, current_app.config["MIGRATION_LOCK_TIMEOUT"], click.echo):
            with engine.connect() as connection:
                done = resolve_partial_revision(connection, script_directory, how)
    except CommandError as error:
        raise click.ClickException(str(error)) from error
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0]
        raise click.ClickException(f"cannot use the database: {reason}") from error
    click.echo(done)
