"""Scratch databases of the connected kind, and a history run on them from empty.

A temporary file for SQLite; a temporary database on the same server for
PostgreSQL and MariaDB/MySQL, dropped afterwards. The history runs through
Alembic's own machinery, without the app's env.py: a scratch database needs
no lock, no copy and no audit.
"""
import os
import tempfile
import uuid
from contextlib import contextmanager

from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.util import CommandError
from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool


@contextmanager
def scratch_database(url):
    """Yield the URL of a new, empty database of the same kind as `url`, then remove it."""
    if url.get_backend_name() == "sqlite":
        with tempfile.TemporaryDirectory(prefix="squash-") as folder:
            yield url.set(database=os.path.join(folder, "scratch.db"))
        return
    name = f"squash_scratch_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        try:
            with admin.connect() as connection:
                connection.exec_driver_sql(f"CREATE DATABASE {name}")
        except DBAPIError as error:
            reason = str(error.orig).strip().splitlines()[0]
            raise CommandError(
                f"cannot create a scratch database on the server to prove the squash: {reason}"
            ) from error
        try:
            yield url.set(database=name)
        finally:
            force = " WITH (FORCE)" if url.get_backend_name() == "postgresql" else ""
            with admin.connect() as connection:
                connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}{force}")
    finally:
        admin.dispose()


@contextmanager
def connected(url):
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def upgrade_from_empty(url, script, destination):
    """Run `script` (a ScriptDirectory) on the empty database at `url` up to `destination`."""
    engine = create_engine(url, poolclass=NullPool)

    def steps(heads, context):
        return script._upgrade_revs(destination, heads)

    try:
        with engine.connect() as connection:
            with EnvironmentContext(Config(), script, fn=steps,
                                    destination_rev=destination) as environment:
                # A transaction per revision, as the app's own upgrades run: a revision's
                # autocommit_block() (an index built CONCURRENTLY) commits the one it is in.
                environment.configure(connection=connection, transaction_per_migration=True)
                with environment.begin_transaction():
                    environment.run_migrations()
    finally:
        engine.dispose()
