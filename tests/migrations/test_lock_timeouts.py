"""PostgreSQL: a revision that cannot have its lock gives up, tries again, and names who holds it.

A session left `idle in transaction` after reading `users` holds a lock that
any ALTER TABLE users waits for; while the ALTER waits, PostgreSQL queues every
later query on `users` behind it. These tests hold such a session open and
check what the site and the operator see.
"""
import time

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.pool import NullPool

from tests.cli import copy_project, run_cli, start_cli
from tests.databases import backend_name, throwaway_database
from tests.migrations.revisions import add_revision

on_postgresql = pytest.mark.skipif(
    backend_name() != "postgresql", reason="lock_timeout and its retries are PostgreSQL's"
)
on_mariadb = pytest.mark.skipif(
    backend_name() not in ("mysql", "mariadb"), reason="MariaDB's lock_wait_timeout"
)

ADD_NICKNAME = 'op.add_column("users", sa.Column("nickname", sa.String(40)))'
FAST_TIMEOUTS = {"MIGRATION_TABLE_LOCK_TIMEOUT": "0.5", "MIGRATION_TABLE_LOCK_RETRIES": "2"}


@pytest.fixture
def project(tmp_path):
    """A copy at head with one user, and a revision that alters `users` waiting to run."""
    copy = copy_project(tmp_path / "copy")
    with throwaway_database(tmp_path) as url:
        assert run_cli("db", "upgrade", cwd=copy, env={"DATABASE_URL": url}).returncode == 0
        engine = sa.create_engine(url, poolclass=NullPool)
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO users (id, name, email, session_token) "
                "VALUES (1, 'Ada', 'ada@example.org', 't')"
            ))
        add_revision(copy / "migrations", "a1de4ick", "add user nickname", ADD_NICKNAME,
                     'op.drop_column("users", "nickname")')
        yield copy, url, engine
        engine.dispose()


def head_before_the_nickname(copy):
    """The revision the database stands at before the added one: whichever the history's head."""
    return ScriptDirectory(str(copy / "migrations")).get_revision("a1de4ick").down_revision


def idle_in_transaction_on_users(engine):
    """A session that read `users` and stays in its transaction, as a stuck worker would."""
    connection = engine.connect()
    connection.execute(sa.text("SELECT count(*) FROM users"))
    pid = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar() \
        if engine.dialect.name == "postgresql" else None
    return connection, pid


def wait_for_the_migration_to_wait(engine, timeout=60):
    """Until some session waits for a lock on a relation (the migration's ALTER)."""
    deadline = time.monotonic() + timeout
    with engine.connect() as connection:
        while time.monotonic() < deadline:
            waiting = connection.execute(sa.text(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'relation'"
                if engine.dialect.name == "postgresql" else
                "SELECT count(*) FROM information_schema.processlist "
                "WHERE state LIKE 'Waiting for table metadata lock%'"
            )).scalar()
            if waiting:
                return
            time.sleep(0.05)
    raise AssertionError("the migration never waited for its lock")


@on_postgresql
def test_a_blocked_revision_gives_up_after_its_retries_naming_the_blocking_pid(project):
    copy, url, engine = project
    blocker, pid = idle_in_transaction_on_users(engine)
    try:
        upgrade = start_cli("db", "upgrade", cwd=copy, env={"DATABASE_URL": url, **FAST_TIMEOUTS})
        _, stderr = upgrade.communicate(timeout=120)
    finally:
        blocker.close()

    assert upgrade.returncode == 1
    assert "Traceback" not in stderr
    assert stderr.count("trying again in") == 2
    assert "revision a1de4ick (add user nickname) was not granted a lock within 0.5 s: " \
        f"it is held by pid {pid} (idle in transaction" in stderr
    assert f"gave up after 3 tries. The database is still at {head_before_the_nickname(copy)}" \
        in stderr
    inspector = sa.inspect(engine)
    assert "nickname" not in [c["name"] for c in inspector.get_columns("users")]
    # Nothing of it committed: no mark, and the next upgrade simply runs it.
    assert "alembic_partial_revision" not in inspector.get_table_names()
    retried = run_cli("db", "upgrade", cwd=copy, env={"DATABASE_URL": url})
    assert retried.returncode == 0, retried.stderr


@on_postgresql
def test_the_sites_queries_are_not_queued_behind_a_waiting_revision(project):
    """Without lock_timeout the SELECT below would wait as long as the idle transaction lasts."""
    copy, url, engine = project
    blocker, _ = idle_in_transaction_on_users(engine)
    try:
        upgrade = start_cli("db", "upgrade", cwd=copy, env={
            "DATABASE_URL": url, "MIGRATION_TABLE_LOCK_TIMEOUT": "1",
            "MIGRATION_TABLE_LOCK_RETRIES": "0",
        })
        wait_for_the_migration_to_wait(engine)
        with engine.connect() as site:
            # A bound on the test, far above the migration's 1 s: a failure, never a hang.
            site.execute(sa.text("SET statement_timeout = '30s'"))
            assert site.execute(sa.text("SELECT name FROM users")).scalars().all() == ["Ada"]
        _, stderr = upgrade.communicate(timeout=120)
    finally:
        blocker.close()
    assert upgrade.returncode == 1
    assert "was not granted a lock within 1 s" in stderr


@on_postgresql
def test_a_revision_whose_blocker_finishes_during_the_pause_applies(project):
    copy, url, engine = project
    blocker, _ = idle_in_transaction_on_users(engine)
    try:
        upgrade = start_cli("db", "upgrade", cwd=copy, env={"DATABASE_URL": url, **FAST_TIMEOUTS})
        wait_for_the_migration_to_wait(engine)
    finally:
        blocker.close()
    _, stderr = upgrade.communicate(timeout=120)

    assert upgrade.returncode == 0, stderr
    assert f"Running upgrade {head_before_the_nickname(copy)} -> a1de4ick" in stderr
    columns = [c["name"] for c in sa.inspect(engine).get_columns("users")]
    assert "nickname" in columns


@on_postgresql
def test_the_script_for_production_sets_the_timeouts_first(project):
    copy, url, _ = project
    span = f"{head_before_the_nickname(copy)}:a1de4ick"
    result = run_cli("db", "upgrade", "--sql", span, cwd=copy,
                     env={"DATABASE_URL": url, "MIGRATION_STATEMENT_TIMEOUT": "60"})
    assert result.returncode == 0, result.stderr
    script = result.stdout
    assert script.index("SET lock_timeout = '5000ms';") < script.index("ALTER TABLE users")
    assert script.index("SET statement_timeout = '60000ms';") < script.index("BEGIN;")


@on_mariadb
def test_on_mariadb_a_blocked_revision_gives_up_after_lock_wait_timeout_and_the_site_goes_on(
        project):
    """No retry here: MariaDB commits DDL statement by statement."""
    copy, url, engine = project
    blocker, _ = idle_in_transaction_on_users(engine)
    try:
        upgrade = start_cli("db", "upgrade", cwd=copy,
                            env={"DATABASE_URL": url, "MIGRATION_TABLE_LOCK_TIMEOUT": "1"})
        wait_for_the_migration_to_wait(engine)
        with engine.connect() as site:
            site.execute(sa.text("SET SESSION max_statement_time = 30"))
            assert site.execute(sa.text("SELECT name FROM users")).scalars().all() == ["Ada"]
        _, stderr = upgrade.communicate(timeout=120)
    finally:
        blocker.close()
    assert upgrade.returncode == 1
    assert "Traceback" not in stderr
    assert "revision a1de4ick (add user nickname) failed in upgrade()" in stderr
    assert "Lock wait timeout exceeded" in stderr


NOTES_THEN_CONCURRENT_INDEX = """
    op.create_table("notes", sa.Column("id", sa.Integer(), primary_key=True))
    with op.get_context().autocommit_block():
        op.create_index("ix_users_name", "users", ["name"], postgresql_concurrently=True)
"""


@on_postgresql
def test_a_revision_that_committed_part_of_itself_is_not_retried(project):
    """Run again from its start, it would create `notes` a second time."""
    copy, url, engine = project
    assert run_cli("db", "upgrade", cwd=copy, env={"DATABASE_URL": url}).returncode == 0
    add_revision(copy / "migrations", "9a7t1a11", "notes, then an index",
                 NOTES_THEN_CONCURRENT_INDEX, 'op.drop_table("notes")')
    # A concurrent build waits for the transactions that are writing to its table.
    blocker, pid = idle_in_transaction_on_users(engine)
    blocker.execute(sa.text("UPDATE users SET name = name"))
    try:
        upgrade = run_cli("db", "upgrade", cwd=copy, env={"DATABASE_URL": url, **FAST_TIMEOUTS})
    finally:
        blocker.close()

    assert upgrade.returncode == 1
    assert "Traceback" not in upgrade.stderr
    assert "trying again" not in upgrade.stderr
    assert "revision 9a7t1a11 (notes, then an index) was not granted a lock within 0.5 s: " \
        f"it is held by pid {pid} (idle in transaction" in upgrade.stderr
    assert "part of the revision had been committed, so it is not retried" in upgrade.stderr
    # What committed is marked: the next upgrade refuses until it is resolved.
    assert "what stayed: added table notes" in upgrade.stderr
    refused = run_cli("db", "upgrade", cwd=copy, env={"DATABASE_URL": url})
    assert refused.returncode == 1
    assert "revision 9a7t1a11" in refused.stderr and "flask db resolve" in refused.stderr
    resolved = run_cli("db", "resolve", "--undo", cwd=copy, env={"DATABASE_URL": url})
    assert resolved.returncode == 0, resolved.stderr
    upgraded = run_cli("db", "upgrade", cwd=copy, env={"DATABASE_URL": url})
    assert upgraded.returncode == 0, upgraded.stderr
    assert "notes" in sa.inspect(engine).get_table_names()
