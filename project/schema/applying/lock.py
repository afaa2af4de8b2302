"""One migrator at a time: a database-wide lock, taken before any migration runs.

Several app instances often run `flask db upgrade` together on deploy. The
first takes the lock and migrates; the others wait, then find the database at
head and have nothing to do.
"""
import fcntl
import os
import time
import zlib
from contextlib import contextmanager, nullcontext

from alembic.util import CommandError
from sqlalchemy import text

POLL_SECONDS = 0.2
LOCK_NAME = "project-schema-migrations"
# pg_advisory_lock takes a 64-bit key; any fixed number unique to this purpose will do.
POSTGRESQL_LOCK_KEY = zlib.crc32(LOCK_NAME.encode())


def migration_lock(engine, timeout, on_wait):
    """Hold this database's migration lock for the `with` block.

    `on_wait(message)` is called once if another migration holds the lock;
    after `timeout` seconds of waiting, a CommandError says so.
    """
    backend = engine.dialect.name
    if backend == "postgresql":
        return _postgresql_lock(engine, timeout, on_wait)
    if backend in ("mysql", "mariadb"):
        return _mysql_lock(engine, timeout, on_wait)
    if backend == "sqlite" and lock_file_path(engine):
        return _lock_file(lock_file_path(engine), timeout, on_wait)
    return nullcontext()


def lock_file_path(engine):
    """The lock file beside a SQLite database file; None for an in-memory one."""
    if engine.url.database in (None, "", ":memory:"):
        return None
    return engine.url.database + ".migration-lock"


def _wait_until(acquired, timeout, on_wait):
    deadline = time.monotonic() + timeout
    if acquired():
        return
    on_wait("waiting for another migration of this database to finish...")
    while not acquired():
        if time.monotonic() >= deadline:
            raise CommandError(
                f"gave up after {timeout:g} s waiting for another migration of this database "
                "to finish; set MIGRATION_LOCK_TIMEOUT to wait longer"
            )
        time.sleep(POLL_SECONDS)


@contextmanager
def _postgresql_lock(engine, timeout, on_wait):
    # A session-level lock on a connection of its own: revisions that commit
    # part-way (autocommit_block) cannot release it.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        key = {"key": POSTGRESQL_LOCK_KEY}
        _wait_until(
            lambda: connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), key),
            timeout, on_wait,
        )
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)


@contextmanager
def _mysql_lock(engine, timeout, on_wait):
    with engine.connect() as connection:
        # GET_LOCK names are server-wide; the database name keeps ours apart.
        name = {"name": f"{engine.url.database}.{LOCK_NAME}"[-64:]}
        _wait_until(
            lambda: connection.scalar(text("SELECT GET_LOCK(:name, 0)"), name) == 1,
            timeout, on_wait,
        )
        try:
            yield
        finally:
            connection.scalar(text("SELECT RELEASE_LOCK(:name)"), name)


@contextmanager
def _lock_file(path, timeout, on_wait):
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise CommandError(f"cannot use the SQLite database: its folder {folder} does not exist")
    # The file stays: removing it would let a third process lock a new file
    # while a second still waits on the old one.
    with open(path, "a") as lock_file:

        def acquired():
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        _wait_until(acquired, timeout, on_wait)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
