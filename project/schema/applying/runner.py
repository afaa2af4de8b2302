"""Running the history against a database, as migrations/env.py asks: safely.

Online, in order: take the database-wide migration lock; open the connection
(with lock and statement timeouts; on MariaDB, strict mode, so that no value is
cut; on SQLite, foreign keys are set per revision, checked before a revision
run without them commits, and batch rebuilds keep their triggers and refuse a
cast that would change a value); refuse while a revision is marked partly
applied; let the caller refuse (env.py audits
hand-written scripts); look at Alembic's plan of steps before the first one
runs (a downgrade that drops rows is refused unless acknowledged; a copy or a
reminder when anything will change); reflect the schema before each revision
that could leave part of itself behind (revision_watch.py); run the
revisions, again after a pause when PostgreSQL refuses a table lock; and when a
revision fails, turn the error into one message that says which revision
failed, where, and what of it stayed applied, and mark what could not be
rolled back. While Alembic only compares (`migrate`, `check`), no revision
runs: errors pass unchanged.
"""
import logging
from contextlib import nullcontext

from alembic.runtime.migration import RevisionStep
from alembic.util import CommandError
from sqlalchemy.exc import DBAPIError

from project.schema.applying.downgrade_losses import refuse_unacknowledged_losses
from project.schema.applying.failures import (
    failure_message,
    unknown_database_revision_message,
    with_hint,
)
from project.schema.applying.invalid_indexes import (
    drop_invalid_indexes,
    invalid_index_note,
    left_invalid,
)
from project.schema.applying.lock import migration_lock
from project.schema.applying.mariadb_strict import refuse_truncation
from project.schema.applying.partial import (
    leave_out_the_mark,
    mark_partial_revision,
    read_partial_revision,
    still_partly_applied_message,
)
from project.schema.applying.precautions import take_precautions
from project.schema.applying.progress import RevisionProgress
from project.schema.applying.revision_watch import RevisionWatch
from project.schema.applying.sqlite_foreign_keys import (
    check_foreign_keys,
    enforce_per_revision,
    foreign_keys_enforced_afterwards,
    refuse_rebuilds_with_foreign_keys_on,
)
# Register themselves as Alembic's implementations: on SQLite, batch operations in place where
# allowed; on PostgreSQL, an integer column's sequence that follows its type.
from project.schema.applying import postgresql_sequences, sqlite_in_place  # noqa: F401
from project.schema.applying.sqlite_triggers import TriggerKeeper
from project.schema.applying.timeouts import apply_timeouts, run_with_lock_retries
from project.schema.invocation import comparing

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
        refuse_truncation(connection)
        watch = RevisionWatch()
        progress = RevisionProgress(verbose=logging.getLogger("alembic").isEnabledFor(
            logging.DEBUG))
        on_version_apply = [watch.revision_applied, progress.revision_applied]
        if on_sqlite:
            TriggerKeeper(connection)
            refuse_rebuilds_with_foreign_keys_on(connection)
            # Before the watch, so that a violation fails the revision it belongs to.
            on_version_apply.insert(0, check_foreign_keys)
        with foreign_keys_enforced_afterwards(connection) if on_sqlite else nullcontext():
            context.configure(
                connection=connection,
                target_metadata=db.metadata,
                # project.schema.applying.sqlite gives SQLite real transactions around DDL.
                transactional_ddl=True if on_sqlite else None,
                on_version_apply=on_version_apply,
                **{**configure_args, "include_name": leave_out_the_mark(
                    configure_args.get("include_name"))},
            )
            migration_context = context.get_context()
            # `stamp --purge` is the way out of an unknown revision; let it through.
            if not migration_context.purge:
                unknown = unknown_database_revision_message(migration_context, context.script)
                if unknown:
                    raise CommandError(unknown)

            def refuse_while_partly_applied(steps, heads, migration_context):
                # Read after the lock is held: a waiter sees the mark its forerunner left.
                partial = read_partial_revision(migration_context.connection)
                if partial and any(isinstance(step, RevisionStep) for step in steps):
                    raise CommandError(still_partly_applied_message(partial))

            def precautions(steps, heads, migration_context):
                refuse_unacknowledged_losses(
                    migration_context, steps, context.get_x_argument(as_dictionary=False)
                )
                if steps:
                    take_precautions(migration_context.connection, heads, settings, logger.info)
                watch.start(steps, migration_context.connection,
                            migration_context.impl.transactional_ddl)
                progress.start(steps)

            inspect_plan(migration_context, refuse_while_partly_applied)
            before_run(migration_context)
            inspect_plan(migration_context, precautions)
            if on_sqlite:
                enforce_per_revision(migration_context)

            def run():
                with progress.shown(), context.begin_transaction():
                    context.run_migrations()

            try:
                # PostgreSQL: a revision refused a table lock runs again, after a pause.
                run_with_lock_retries(run, migration_context, settings, [drop_invalid_indexes])
            except CommandError as error:
                hinted = with_hint(str(error))
                if hinted == str(error):
                    raise
                raise CommandError(hinted) from error
            except Exception as error:
                if comparing(migration_context):
                    # No revision ran: the error is a caller's hook's or the comparison's own.
                    raise
                what_stayed = watch.what_stayed(connection)
                # An index a failed concurrent build left INVALID is dropped before the
                # next try: alone, it does not make the revision partly applied.
                invalid = left_invalid(connection, what_stayed)
                if len(invalid) == len(what_stayed):
                    what_stayed = []
                else:
                    invalid = []
                if what_stayed:
                    mark_partial_revision(connection, *watch.failed_step(), what_stayed)
                raise CommandError(failure_message(
                    error,
                    context.script,
                    what_stayed,
                    migration_context.impl.transactional_ddl,
                    migration_context.get_current_heads(),
                ) + (invalid_index_note(invalid) if invalid else "")) from error
