"""Running the history against a live database, as migrations/env.py asks: safely.

In order: take the database-wide migration lock; open the connection (on
SQLite with foreign keys off, so batch rebuilds cannot cascade); before the
first step that changes anything, take precautions (a copy, or a reminder);
and when a revision fails, turn the error into one message that says which
revision failed, where, and what of it stayed applied.
"""
import logging
from contextlib import nullcontext

from alembic.util import CommandError
from sqlalchemy.exc import DBAPIError

from project.schema.failures import StatementLog, failure_message
from project.schema.lock import migration_lock
from project.schema.precautions import take_precautions
from project.schema.sqlite import foreign_keys_off

logger = logging.getLogger("alembic.env")


def run_online(context, db, settings, configure_args):
    """Run the command Alembic is carrying out (upgrade, downgrade, check, ...)."""
    try:
        with migration_lock(db.engine, settings["MIGRATION_LOCK_TIMEOUT"], logger.info):
            _run_on_a_connection(context, db, settings, configure_args)
    except DBAPIError as error:
        # A revision's own errors are CommandErrors by now: this is the database itself.
        reason = str(error.orig).strip().splitlines()[0]
        url = db.engine.url.render_as_string(hide_password=True)
        raise CommandError(f"cannot use the database {url}: {reason}") from error


def _run_on_a_connection(context, db, settings, configure_args):
    with db.engine.connect() as connection:
        on_sqlite = connection.dialect.name == "sqlite"
        statement_log = StatementLog(connection)
        with foreign_keys_off(connection) if on_sqlite else nullcontext():
            context.configure(
                connection=connection,
                target_metadata=db.metadata,
                # project.schema.sqlite gives SQLite real transactions around DDL.
                transactional_ddl=True if on_sqlite else None,
                on_version_apply=statement_log.forget,
                **configure_args,
            )
            migration_context = context.get_context()
            # Alembic has no hook before the first step; its plan of steps is
            # the one place that knows whether anything will change.
            migration_context._migrations_fn = _precautions_before_first_step(
                migration_context._migrations_fn, settings
            )
            try:
                with context.begin_transaction():
                    context.run_migrations()
            except CommandError:
                raise
            except Exception as error:
                raise CommandError(failure_message(
                    error,
                    context.script,
                    statement_log,
                    migration_context.impl.transactional_ddl,
                    migration_context.get_current_heads(),
                )) from error


def _precautions_before_first_step(plan, settings):
    def planned_steps(heads, migration_context):
        steps = list(plan(heads, migration_context))
        if steps:
            take_precautions(migration_context.connection, heads, settings, logger.info)
        return steps

    return planned_steps
