"""The `flask db` additions: `-v` for Alembic's detail, and `flask db restore`."""
import logging
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from project.schema.applying.backup import back_up, copy_database, list_backups
from project.schema.applying.lock import migration_lock


def verbose_option(group):
    """Give `flask db` a `-v`: Alembic's detail (plugins set up, ...) only when asked for.

    migrations/env.py reads the logging settings anew on every command, so the
    choice is kept in click's context and applied there by `apply_verbosity`.
    """

    def remember(ctx, _param, verbose):
        ctx.meta["migrations_verbose"] = verbose

    click.option(
        "-v", "--verbose", is_flag=True, expose_value=False, callback=remember,
        help="Show Alembic's detailed log lines too.",
    )(group)


def apply_verbosity():
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.meta.get("migrations_verbose"):
        logging.getLogger("alembic").setLevel(logging.DEBUG)
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.INFO)


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
