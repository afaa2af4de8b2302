"""Throw-away databases for the tests: a SQLite file, or a uniquely named database on a server.

TEST_DATABASE_URL names the server (its database part is where we connect to
create and drop ours); without it, the tests use SQLite files.
"""
import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from project.config import normalize_database_url
from tests.cli import REPO_ROOT, run_cli


def server_url():
    return os.environ.get("TEST_DATABASE_URL", "")


def backend_name():
    url = server_url()
    return make_url(normalize_database_url(url)).get_backend_name() if url else "sqlite"


def can_clone(server=None):
    """Whether `throwaway_database` can start from a copy of another database on this backend:
    SQLite copies the file, PostgreSQL has CREATE DATABASE ... TEMPLATE; MariaDB has neither."""
    server = server_url() if server is None else server
    return not server or make_url(server).get_backend_name() in ("sqlite", "postgresql")


@contextmanager
def throwaway_database(directory, server=None, template=None):
    """Yield the URL of a new database, and remove it afterwards.

    `directory` holds SQLite files; `server` defaults to TEST_DATABASE_URL. The
    database is empty, or a copy of `template` (the URL of another throw-away
    database that no connection is using, on a backend that `can_clone`).
    """
    server = server_url() if server is None else server
    if not server or make_url(server).get_backend_name() == "sqlite":
        path = Path(directory) / f"test-{uuid.uuid4().hex[:12]}.db"
        if template is not None:
            copy_sqlite_file(make_url(template).database, path)
        try:
            yield f"sqlite:///{path}"
        finally:
            path.unlink(missing_ok=True)
        return

    url = make_url(normalize_database_url(server))
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        if template is None:
            connection.exec_driver_sql(f"CREATE DATABASE {name}")
        else:
            assert can_clone(server), f"{url.get_backend_name()} cannot copy a database"
            connection.exec_driver_sql(
                f"CREATE DATABASE {name} TEMPLATE {make_url(template).database}")
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        # FORCE: a connection a failed test left open must not keep the database alive.
        force = " WITH (FORCE)" if url.get_backend_name() == "postgresql" else ""
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}{force}")
        admin.dispose()


@contextmanager
def head_database(directory, template=None, root=REPO_ROOT):
    """Yield the URL of a new database at the head of the history at `root`, and remove it
    afterwards.

    It is a copy of `template` (a database at that head, such as the `database_at_head`
    fixture's) where there is one and the backend `can_clone`; otherwise `flask db
    upgrade` builds it, as it built the template.
    """
    template = template if can_clone() else None
    with throwaway_database(directory, template=template) as url:
        if template is None:
            upgraded = run_cli("db", "upgrade", cwd=root, env={"DATABASE_URL": url})
            assert upgraded.returncode == 0, upgraded.stderr
        yield url


def copy_sqlite_file(source, target):
    """A byte-for-byte copy of a closed SQLite database. A write-ahead log beside it would
    hold pages the file lacks: the last connection to close folds it in and removes it."""
    wal = Path(f"{source}-wal")
    assert not wal.exists(), f"{source} is still open: its {wal.name} is not folded in"
    shutil.copyfile(source, target)
