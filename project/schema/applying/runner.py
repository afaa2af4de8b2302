"""Running the history against a database, as migrations/env.py asks: safely.

Online, in order: take the database-wide migration lock; open the connection
(on SQLite with foreign keys off, so batch rebuilds cannot cascade); let the
caller refuse (env.py audits hand-written scripts); look at Alembic's plan of
steps before the first one runs (a copy or a reminder when anything will
change); and when a revision fails, turn the error into one message that says
which revision failed, where, and what of it stayed applied.
"""
import logging
from contextlib import nullcontext

from alembic.util import CommandError
from sqlalchemy.exc import DBAPIError

from project.schema.applying.failures import (
    StatementLog,
    failure_message,
    unknown_database_revision_message,
    with_hint,
)
from project.schema.applying.invalid_indexes import drop_invalid_indexes
from project.schema.applying.lock import migration_lock
from project.schema.applying.precautions import take_precautions
from project.schema.applying.sqlite import foreign_keys_off
from project.schema.applying.timeouts import apply_timeouts, run_with_lock_retries

logger = logging.getLogger("alembic.env")


def inspect_plan(migration_context, *inspections):
    """Call each `inspection(steps, heads, migration_context)` before the first step runs.

    Alembic has no hook there; the plan of steps it is about to take is the one
    place that knows what will run, so it is wrapped.
    """
    plan = migration_context._migrations_fn

    def planned_steps(heads, context):
        steps = list(plan(heads, context))
        for inspection in inspections:
            inspection(steps, heads, context)
        return steps

    migration_context._migrations_fn = planned_steps


def run_online(context, db, settings, configure_args, before_run):
    """Run the command Alembic is carrying out (upgrade, downgrade, check, ...).

    `before_run(migration_context)` is called once the context is configured,
    before anything runs; it may refuse with a CommandError.
    """
    try:
        with migration_lock(db.engine, settings["MIGRATION_LOCK_TIMEOUT"], logger.info):
            _run_on_a_connection(context, db, settings, configure_args, before_run)
    except DBAPIError as error:
        # A revision's own errors are CommandErrors by now: this is the database itself.
        reason = str(error.orig).strip().splitlines()[0]
        url = db.engine.url.render_as_string(hide_password=True)
        raise CommandError(f"cannot use the database {url}: {reason}") from error


def _run_on_a_connection(context, db, settings, configure_args, before_run):
    with db.engine.connect() as connection:
        on_sqlite = connection.dialect.name == "sqlite"
        apply_timeouts(connection, settings)
        statement_log = StatementLog(connection)
        with foreign_keys_off(connection) if on_sqlite else nullcontext():
            context.configure(
                connection=connection,
                target_metadata=db.metadata,
                # project.schema.applying.sqlite gives SQLite real transactions around DDL.
                transactional_ddl=True if on_sqlite else None,
                on_version_apply=statement_log.forget,
                **configure_args,
            )
            migration_context = context.get_context()
            # `stamp --purge` is the way out of an unknown revision; let it through.
            if not migration_context.purge:
                unknown = unknown_database_revision_message(migration_context, context.script)
                if unknown:
                    raise CommandError(unknown)

            def precautions(steps, heads, migration_context):
                if steps:
                    take_precautions(migration_context.connection, heads, settings, logger.info)

            before_run(migration_context)
            inspect_plan(migration_context, precautions)

            def run():
                with context.begin_transaction():
                    context.run_migrations()

            try:
                run_with_lock_retries(run, migration_context, settings, [drop_invalid_indexes])
            except CommandError as error:
                raise CommandError(with_hint(str(error))) from error
            except Exception as error:
                raise CommandError(failure_message(
                    error,
                    context.script,
                    statement_log,
                    migration_context.impl.transactional_ddl,
                    migration_context.get_current_heads(),
                )) from error
