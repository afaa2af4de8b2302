"""Throw-away databases for the tests: a SQLite file, or a uniquely named database on a server.

TEST_DATABASE_URL names the server (its database part is where we connect to
create and drop ours); without it, the tests use SQLite files.
"""
import os
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from project.config import normalize_database_url


def server_url():
    return os.environ.get("TEST_DATABASE_URL", "")


def backend_name():
    url = server_url()
    return make_url(normalize_database_url(url)).get_backend_name() if url else "sqlite"


@contextmanager
def throwaway_database(directory, server=None):
    """Yield the URL of a new, empty database, and remove it afterwards.

    `directory` holds SQLite files; `server` defaults to TEST_DATABASE_URL.
    """
    server = server_url() if server is None else server
    if not server or make_url(server).get_backend_name() == "sqlite":
        path = Path(directory) / f"test-{uuid.uuid4().hex[:12]}.db"
        try:
            yield f"sqlite:///{path}"
        finally:
            path.unlink(missing_ok=True)
        return

    url = make_url(normalize_database_url(server))
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        # FORCE: a connection a failed test left open must not keep the database alive.
        force = " WITH (FORCE)" if url.get_backend_name() == "postgresql" else ""
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}{force}")
        admin.dispose()
