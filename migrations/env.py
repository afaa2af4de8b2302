"""Alembic's environment for the one history of every blueprint's tables.

Thin on purpose: the safety logic lives in project.schema, where it is tested.
"""
import logging
from contextlib import nullcontext
from logging.config import fileConfig

from alembic import context
from alembic.util import CommandError
from flask import current_app
from sqlalchemy.exc import DBAPIError

import project.models  # noqa: F401  (the registry: autogenerate must see every table)
from project.schema.failures import StatementLog, failure_message
from project.schema.heads import multiple_heads_message
from project.schema.lock import migration_lock
from project.schema.precautions import take_precautions
from project.schema.sqlite import foreign_keys_off

config = context.config
# fileConfig's default would silence every logger the app made before this point.
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

migrate_extension = current_app.extensions["migrate"]
db = migrate_extension.db


def skip_empty_autogenerate(context, revision, directives):
    """Write no script when autogenerate finds nothing to do."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def configure_args():
    args = dict(migrate_extension.configure_args)
    args.setdefault("process_revision_directives", skip_empty_autogenerate)
    return args


def run_migrations_offline():
    """Emit the SQL to standard output; no database connection is made."""
    context.configure(
        url=db.engine.url.render_as_string(hide_password=False),
        target_metadata=db.metadata,
        literal_binds=True,
        **configure_args(),
    )
    with context.begin_transaction():
        context.run_migrations()


def precautions_before_first_step(work):
    """Wrap the command's work: when it plans any step, take precautions before the first."""

    def planned_steps(heads, migration_context):
        steps = list(work(heads, migration_context))
        if steps:
            take_precautions(migration_context.connection, heads, current_app.config, logger.info)
        return steps

    return planned_steps


def run_migrations_online():
    try:
        with migration_lock(db.engine, current_app.config["MIGRATION_LOCK_TIMEOUT"], logger.info):
            run_migrations_on_a_connection()
    except DBAPIError as error:
        # A revision's own errors are CommandErrors by now: this is the database itself.
        reason = str(error.orig).strip().splitlines()[0]
        url = db.engine.url.render_as_string(hide_password=True)
        raise CommandError(f"cannot use the database {url}: {reason}") from error


def run_migrations_on_a_connection():
    with db.engine.connect() as connection:
        on_sqlite = connection.dialect.name == "sqlite"
        statement_log = StatementLog(connection)
        with foreign_keys_off(connection) if on_sqlite else nullcontext():

            def configure(**extra):
                context.configure(
                    connection=connection,
                    target_metadata=db.metadata,
                    # project.schema.sqlite gives SQLite real transactions around DDL.
                    transactional_ddl=True if on_sqlite else None,
                    on_version_apply=statement_log.forget,
                    **configure_args(),
                    **extra,
                )

            # Configured twice: the command's own work function is only
            # reachable through a configured context, and we wrap it.
            configure()
            work = context.get_context().environment_context.context_opts["fn"]
            configure(fn=precautions_before_first_step(work))
            try:
                with context.begin_transaction():
                    context.run_migrations()
            except CommandError:
                raise
            except Exception as error:
                migration_context = context.get_context()
                raise CommandError(failure_message(
                    error,
                    context.script,
                    statement_log,
                    migration_context.impl.transactional_ddl,
                    migration_context.get_current_heads(),
                )) from error


def refuse_multiple_heads():
    """Two teams branched from the same head: nothing runs until they are joined."""
    message = multiple_heads_message(context.script)
    if message:
        raise CommandError(message)


refuse_multiple_heads()
if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
