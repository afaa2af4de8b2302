"""The `flask db` additions: -v, restore (a copy taken before a migration), resolve (a revision
left partly applied), status, diagram, graph, history --blueprint, squash; heads, branches,
history and show reading revision headers. Thin: the work is done in applying/ and viewing/."""
import functools
import json
import logging
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
from project.schema.revision_headers import headers_only, read_headers_once
from project.schema.viewing.blueprint_history import blueprint_revisions
from project.schema.viewing.diagram import er_mermaid, er_svg
from project.schema.viewing.drawing import GraphvizMissing
from project.schema.viewing.er_model import er_model, reflected_metadata
from project.schema.viewing.owners import table_owners
from project.schema.viewing.revision_graph import revision_svg
from project.schema.viewing.squash import explanation, plan_squash, squash
from project.schema.viewing.squashed_script import squashed_source
from project.schema.viewing.status import database_status, render_status


def verbose_option(group):
    """Give `flask db` a `-v`: Alembic's detail (plugins set up, ...) only when asked for.

    migrations/env.py reads the logging settings anew on every command, so the
    choice is kept in click's context and applied there by `apply_verbosity`.
    """

    # Flask-Migrate's group is one object for the process: a second app must not add it twice.
    if any(param.name == "verbose" for param in group.params):
        return

    def remember(ctx, _param, verbose):
        ctx.meta["migrations_verbose"] = verbose

    click.option(
        "-v", "--verbose", is_flag=True, expose_value=False, callback=remember,
        help="Show Alembic's detailed log lines too.",
    )(group)


class _SetUpDetail(logging.Filter):
    """Alembic's lines about its own set-up, printed on every command: detail, for -v."""

    def filter(self, record):
        return not str(record.msg).startswith(("Context impl ", "Will assume "))


SET_UP_DETAIL = _SetUpDetail()


def apply_verbosity():
    ctx = click.get_current_context(silent=True)
    migration_logger = logging.getLogger("alembic.runtime.migration")
    if ctx is not None and ctx.meta.get("migrations_verbose"):
        logging.getLogger("alembic").setLevel(logging.DEBUG)
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.INFO)
        migration_logger.removeFilter(SET_UP_DETAIL)
    else:
        migration_logger.addFilter(SET_UP_DETAIL)


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
        try:
            # One more than usual is kept, so the copy being restored is never pruned here.
            before = back_up(database, "before-restore",
                             current_app.config["SQLITE_BACKUP_KEEP"] + 1)
        except CommandError as error:
            raise click.ClickException(str(error)) from error
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
    """The ScriptDirectory of the app's migrations folder, as Flask-Migrate configures it;
    its revision modules imported only if used beyond their headers (schema.revision_headers)."""
    extension = current_app.extensions["migrate"]
    script = ScriptDirectory.from_config(extension.migrate.get_config(extension.directory))
    read_headers_once(script)
    return script


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


def write_output(text, output):
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    Path(output).write_text(text)
    click.echo(f"wrote {output}")


def database_revisions(db):
    from alembic.runtime.migration import MigrationContext

    with connect_for_viewing(db) as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


@click.command("diagram")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file instead of standard output.")
@click.option("--database", "from_database", is_flag=True,
              help="Draw the connected database's tables instead of the models (drift shows).")
@click.option("--format", "output_format", type=click.Choice(["svg", "mermaid"]), default="svg",
              show_default=True, help="SVG drawn by Graphviz, or Mermaid text (no Graphviz).")
@with_appcontext
def diagram_command(output, from_database, output_format):
    """Draw the ER diagram of the models, tables grouped by the blueprint that owns them.

    Columns show their type, nullability and keys (PK, FK, UQ); foreign keys are
    edges, dashed where the column may be NULL. The SVG needs Graphviz's `dot`.
    """
    db = current_app.extensions["migrate"].db
    metadata = db.metadata
    if from_database:
        with connect_for_viewing(db) as connection:
            metadata = reflected_metadata(connection)
    tables, edges = er_model(metadata, table_owners(db.Model.registry))
    if output_format == "mermaid":
        write_output(er_mermaid(tables, edges), output)
        return
    try:
        svg = er_svg(tables, edges)
    except GraphvizMissing as error:
        raise click.ClickException(str(error)) from error
    write_output(svg, output)


@click.command("graph")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file instead of standard output.")
@with_appcontext
def graph_command(output):
    """Draw the revision graph as SVG: ids, messages, the blueprints each revision touches.

    Branch points, merges and heads are named; the database's current revision
    is filled in gold. Needs Graphviz's `dot`.
    """
    db = current_app.extensions["migrate"].db
    current = database_revisions(db)
    try:
        svg = revision_svg(history_scripts(), current, table_owners(db.Model.registry))
    except GraphvizMissing as error:
        raise click.ClickException(str(error)) from error
    write_output(svg, output)


def read_by_headers(command):
    """Make Flask-Migrate's `command` (heads, branches, history, show: they only read the
    history) take each revision's header from the cache instead of importing every module,
    as the commands that run env.py do: their cost does not grow with the history."""
    if getattr(command.callback, "reads_headers_only", False):
        return  # one command object for the process: a second app must not wrap it again
    reading_every_module = command.callback

    @functools.wraps(reading_every_module)
    def reading_headers(*args, **kwargs):
        with headers_only():
            return reading_every_module(*args, **kwargs)

    reading_headers.reads_headers_only = True
    command.callback = reading_headers


def add_blueprint_option(history_command):
    """Give Flask-Migrate's `history` a --blueprint option; without it, history is unchanged."""
    # One command object for the process: a second app must not wrap it again.
    if any(param.name == "blueprint" for param in history_command.params):
        return
    plain_history = history_command.callback

    @click.pass_context
    def history(context, blueprint, **arguments):
        if blueprint is None:
            return context.invoke(plain_history, **arguments)
        db = current_app.extensions["migrate"].db
        owners = table_owners(db.Model.registry)
        if blueprint not in owners.values():
            known = ", ".join(sorted(set(owners.values())))
            raise click.ClickException(
                f"no blueprint {blueprint!r} owns a table; these do: {known}"
            )
        for revision, message, tables in blueprint_revisions(history_scripts(), owners, blueprint):
            click.echo(f"{revision}  {message}  ({', '.join(tables)})")

    history_command.params.append(click.Option(
        ["--blueprint"], metavar="NAME",
        help="List only the revisions that touch the tables of this blueprint's models.",
    ))
    history_command.callback = history


@click.command("squash")
@click.argument("revision")
@click.option("--drop-data-steps", is_flag=True,
              help="Leave out the data steps of the squashed revisions instead of carrying them.")
@with_appcontext
def squash_command(revision, drop_data_steps):
    """Replace the revisions from base to REVISION with one that creates the same schema.

    Proven first: the original and the squashed history each build a scratch
    database of the connected kind, and their schemas must be equal, or nothing
    is written. The squashed revision keeps REVISION's id, so databases at it or
    past it need nothing; the squash is refused while the connected database is
    before it. Data steps in the span are carried into the squashed revision
    (at a terminal, you are asked for each), unless --drop-data-steps.
    """
    db = current_app.extensions["migrate"].db
    script = history_scripts()
    try:
        with connect_for_viewing(db) as connection:
            plan = plan_squash(script, revision, connection)
        kept, dropped = choose_data_steps(plan.data_steps, drop_data_steps)
        target = plan.target.revision
        explained = explanation(plan, kept, dropped, db.engine.dialect.name)
        path = squash(script, plan, db.engine.url, kept, lambda metadata: squashed_source(
            metadata, target, f"squashed history up to {target}", explained, kept,
        ))
    except CommandError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"proven on a scratch {db.engine.dialect.name} database: the same schema")
    click.echo(f"wrote {path}, replacing {len(plan.span)} revisions (their files are removed)")
    for step in kept:
        click.echo(f"  carried data step: {step.revision}  {step.message}")
    for step in dropped:
        click.echo(f"  dropped data step: {step.revision}  {step.message}")


def choose_data_steps(steps, drop_all):
    """(kept, dropped): all dropped with --drop-data-steps; asked at a terminal; else all kept."""
    if drop_all:
        return [], list(steps)
    if not sys.stdin.isatty():
        return list(steps), []
    kept, dropped = [], []
    for step in steps:
        keep = click.confirm(
            f"Carry the data step of {step.revision} ({step.message}) into the squashed "
            "revision?", default=True,
        )
        (kept if keep else dropped).append(step)
    return kept, dropped


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
