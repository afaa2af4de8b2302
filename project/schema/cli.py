"""The `flask db` additions: restore (a copy taken before a migration), status, diagram, graph,
history --blueprint, squash. Thin: the work is done in applying/ and viewing/."""
import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import DBAPIError

from project.schema.applying.backup import back_up, copy_database, list_backups
from project.schema.applying.lock import migration_lock
from project.schema.viewing.owners import table_owners
from project.schema.viewing.status import database_status, render_status


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


def history_scripts():
    """The ScriptDirectory of the app's migrations folder, as Flask-Migrate configures it."""
    from alembic.script import ScriptDirectory

    extension = current_app.extensions["migrate"]
    return ScriptDirectory.from_config(extension.migrate.get_config(extension.directory))


def connect_for_viewing(db):
    """A connection to the app's database, or one clear line when it cannot be reached."""
    try:
        return db.engine.connect()
    except DBAPIError as error:
        url = db.engine.url.render_as_string(hide_password=True)
        reason = str(error.orig).strip().splitlines()[0]
        raise click.ClickException(f"cannot use the database {url}: {reason}") from error


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON, for machines.")
@with_appcontext
def status_command(as_json):
    """Show where the database stands: its revision, the heads, what is pending, the lock.

    Each pending revision is listed with its message, the blueprints whose
    tables it touches and a mark for destructive or data steps; then who holds
    the migration lock, a partly applied revision, and what `flask db migrate`
    would write from the models. Exits 0 when the database is at head and the
    models match it, 1 otherwise.
    """
    db = current_app.extensions["migrate"].db
    with connect_for_viewing(db) as connection:
        status = database_status(
            connection, history_scripts(), db.metadata, table_owners(db.Model.registry)
        )
    if as_json:
        click.echo(json.dumps(status, indent=2))
    else:
        click.echo("\n".join(render_status(status)))
    sys.exit(0 if status["ok"] else 1)
