"""Timeouts on every migration, so that a revision waiting for a lock never holds up the site.

An ALTER TABLE waits for its table's lock behind any open transaction that has
touched the table, and on PostgreSQL every later query on that table queues
behind the waiting ALTER: one forgotten `idle in transaction` session and the
whole site stops. A short `lock_timeout` makes the revision give up instead;
it is rolled back whole (PostgreSQL's DDL is transactional), and tried again a
few times with a growing pause, so that a short transaction in the way costs
nothing. When it still cannot have its lock, it fails naming who holds it.

MariaDB/MySQL get the equivalent timeouts (`lock_wait_timeout` for the table
locks DDL takes, `innodb_lock_wait_timeout` for rows; MariaDB's
`max_statement_time`), but no retry: their DDL commits as it goes, so a
revision cannot be run again from its start.
"""
import logging
import math
import re
import threading
import time

from alembic.util import CommandError
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from project.schema.applying.failures import failed_step

logger = logging.getLogger("alembic.env")

# PostgreSQL's SQLSTATE for "canceling statement due to lock timeout".
LOCK_NOT_AVAILABLE = "55P03"
FIRST_PAUSE_SECONDS = 1
BLOCKER_POLL_SECONDS = 0.1

# Statements that are Alembic's or the driver's own, not the revision's work.
BOOKKEEPING = re.compile(r"^\s*(SELECT|SHOW|DESCRIBE|SAVEPOINT|RELEASE|ROLLBACK)\b|alembic_version",
                         re.IGNORECASE)


def milliseconds(seconds):
    return f"{int(seconds * 1000)}ms"


def apply_timeouts(connection, settings):
    """Set this session's lock and statement timeouts, for every revision it runs."""
    lock_timeout = settings["MIGRATION_TABLE_LOCK_TIMEOUT"]
    statement_timeout = settings["MIGRATION_STATEMENT_TIMEOUT"]
    if connection.dialect.name == "postgresql":
        # Session settings (is_local false), committed: they outlive each revision's transaction.
        connection.execute(
            text("SELECT set_config('lock_timeout', :lock, false), "
                 "set_config('statement_timeout', :statement, false)"),
            {"lock": milliseconds(lock_timeout), "statement": milliseconds(statement_timeout)},
        )
        connection.commit()
    elif connection.dialect.name in ("mysql", "mariadb"):
        # Whole seconds, at least 1; 0 means "as long as the server allows" (a year).
        wait = max(1, math.ceil(lock_timeout)) if lock_timeout else 31536000
        connection.exec_driver_sql(f"SET SESSION lock_wait_timeout = {wait}")
        connection.exec_driver_sql(
            f"SET SESSION innodb_lock_wait_timeout = {min(wait, 1073741824)}"
        )
        if connection.dialect.is_mariadb:
            connection.exec_driver_sql(
                f"SET SESSION max_statement_time = {float(statement_timeout)}"
            )
        connection.commit()


def offline_timeout_statements(dialect_name, settings):
    """The same timeouts, as the first lines of a script written by `flask db upgrade --sql`."""
    if dialect_name != "postgresql":
        return []
    return [
        f"SET lock_timeout = '{milliseconds(settings['MIGRATION_TABLE_LOCK_TIMEOUT'])}'",
        f"SET statement_timeout = '{milliseconds(settings['MIGRATION_STATEMENT_TIMEOUT'])}'",
    ]


def lock_not_granted(error):
    return isinstance(error, OperationalError) and \
        getattr(error.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE


def run_with_lock_retries(run, migration_context, settings, before_each_attempt=()):
    """Call `run()` (which runs the planned revisions); on PostgreSQL, retry a refused lock.

    The plan is taken once: a retry goes on with the revisions not yet applied,
    so that a relative destination (`downgrade -2`) is not counted again.
    `before_each_attempt` are called with the steps about to be tried.
    """
    connection = migration_context.connection
    if connection.dialect.name != "postgresql":
        return run()
    retries = settings["MIGRATION_TABLE_LOCK_RETRIES"]
    commits = CommittedWork(connection)
    PinnedPlan(migration_context, before_each_attempt, commits.start_of_revision)
    watcher = BlockerWatcher(connection)
    for attempt in range(retries + 1):
        try:
            with watcher:
                return run()
        except OperationalError as error:
            if not lock_not_granted(error):
                raise
            what = refused_lock_description(error, migration_context, settings, watcher.blockers)
            if commits.partly_committed:
                # Part of it is in for good (an autocommit_block): running it again from
                # its start would repeat that part. Say who was in the way, and stop.
                logger.info("%s; part of the revision had been committed, so it is not retried",
                            what)
                raise
            if attempt == retries:
                raise CommandError(
                    f"{what}; gave up after {retries + 1} tries. The database is still at "
                    f"{', '.join(migration_context.get_current_heads()) or 'base (empty)'}. "
                    "End that transaction (or wait for it), then upgrade again; "
                    "MIGRATION_TABLE_LOCK_TIMEOUT and MIGRATION_TABLE_LOCK_RETRIES set the wait"
                ) from error
            pause = FIRST_PAUSE_SECONDS * 2 ** attempt
            logger.info("%s; rolled back, trying again in %g s (try %d of %d)",
                        what, pause, attempt + 2, retries + 1)
            time.sleep(pause)


def refused_lock_description(error, migration_context, settings, blockers):
    step = failed_step(error, migration_context.script) if migration_context.script else None
    revision = f"revision {step[0].revision} ({step[0].doc})" if step else "a revision"
    waited = f"{settings['MIGRATION_TABLE_LOCK_TIMEOUT']:g} s"
    if not blockers:
        return f"{revision} was not granted a lock within {waited}"
    held_by = "; ".join(
        f"pid {pid} ({state}, in a transaction for {age}: {query})"
        for pid, state, age, query in blockers
    )
    return f"{revision} was not granted a lock within {waited}: it is held by {held_by}"


class PinnedPlan:
    """Alembic's plan of steps, taken once, handed out step by step.

    Alembic asks for the plan at each `run_migrations()`; the first answer is
    kept, and a later one is what of it has not been applied. A step is
    applied once Alembic comes back for the next one: by then it has committed.
    """

    def __init__(self, migration_context, before_each_attempt, on_step_start):
        self.inner = migration_context._migrations_fn
        self.before_each_attempt = before_each_attempt
        self.on_step_start = on_step_start
        self.remaining = None
        migration_context._migrations_fn = self.steps

    def steps(self, heads, context):
        if self.remaining is None:
            self.remaining = list(self.inner(heads, context))
        for inspection in self.before_each_attempt:
            inspection(list(self.remaining), heads, context)
        while self.remaining:
            self.on_step_start()
            yield self.remaining[0]
            self.remaining.pop(0)


class CommittedWork:
    """Whether the revision now running has committed any of its work.

    Only then is it no longer atomic: an `autocommit_block` commits what came
    before it, and runs its own statements outside any transaction. The
    revision's own final commit never comes if it fails, so any commit seen
    since it started is one of those.
    """

    def __init__(self, connection):
        self.start_of_revision()
        event.listen(connection, "after_cursor_execute", self._executed)
        event.listen(connection, "commit", self._committed)

    def start_of_revision(self):
        self.pending = 0
        self.partly_committed = False

    def _executed(self, connection, cursor, statement, *_):
        if BOOKKEEPING.search(statement):
            return
        if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            self.partly_committed = True
        self.pending += 1

    def _committed(self, connection):
        if self.pending:
            self.partly_committed = True
        self.pending = 0


class BlockerWatcher:
    """While revisions run, remember the sessions that hold up the migration's connection.

    Once a lock wait has timed out, nothing is waiting any more and
    pg_blocking_pids() is empty: the sessions in the way have to be seen while
    the wait lasts, from a connection of our own.
    """

    QUERY = text(
        "SELECT pid, coalesce(state, '?'), "
        "coalesce(date_trunc('second', now() - xact_start)::text, '?'), "
        "left(regexp_replace(coalesce(query, ''), '\\s+', ' ', 'g'), 120) "
        "FROM pg_stat_activity WHERE pid = ANY(pg_blocking_pids(:pid)) ORDER BY pid"
    )

    def __init__(self, connection):
        self.engine = connection.engine
        self.pid = connection.connection.driver_connection.info.backend_pid
        self.blockers = []
        self._stop = threading.Event()
        self._thread = None

    def __enter__(self):
        self.blockers = []
        self._stop.clear()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        self._thread.join()

    def _watch(self):
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as watching:
            while not self._stop.wait(BLOCKER_POLL_SECONDS):
                rows = [tuple(row) for row in watching.execute(self.QUERY, {"pid": self.pid})]
                if rows:
                    self.blockers = rows
