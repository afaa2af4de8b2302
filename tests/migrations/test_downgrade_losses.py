"""`flask db downgrade` that would drop rows asks first: names and counts them, waits for a yes."""
import os
import re
import pty

import pytest
import sqlalchemy as sa

from tests.cli import copy_project, run_cli
from tests.databases import backend_name, head_database, throwaway_database
from tests.migrations.history import schema_names
from tests.migrations.revisions import add_revision

CREATE_TEAMS = "7b0f02c7f5ac"


@pytest.fixture
def database_with_rows(tmp_path, database_at_head):
    """The env of a database at head with two users, one team and no tasks."""
    with head_database(tmp_path, database_at_head) as url:
        env = {"DATABASE_URL": url}
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO users (id, name, email, session_token) "
                "VALUES (1, 'Ada', 'ada@example.com', 't1'), "
                "(2, 'Grace', 'grace@example.com', 't2')"
            ))
            connection.execute(sa.text(
                "INSERT INTO teams (id, name, slug) VALUES (1, 'Engines', 'engines')"
            ))
        engine.dispose()
        yield env


def state(env):
    engine = sa.create_engine(env["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            version = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            return version.scalars().all(), schema_names(connection)
    finally:
        engine.dispose()


def test_downgrade_to_base_names_every_table_with_rows_and_runs_nothing(database_with_rows):
    env = database_with_rows
    before = state(env)

    refused = run_cli("db", "downgrade", "base", env=env, input="")

    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "this downgrade would drop data, so nothing was run:\n" \
        f"  - table teams (revision {CREATE_TEAMS}): 1 row\n" \
        "  - table users (revision 721d684ded9b): 2 rows\n" in refused.stderr
    # Empty tables hold nothing to lose: tasks and memberships are not named.
    assert "tasks" not in refused.stderr and "memberships" not in refused.stderr
    assert "flask db downgrade base -x allow-drop=teams -x allow-drop=users" in refused.stderr
    assert "Running downgrade" not in refused.stderr
    assert state(env) == before

    half = run_cli("db", "downgrade", "base", "-x", "allow-drop=teams", env=env, input="")
    assert half.returncode == 1
    assert "  - table users (revision 721d684ded9b): 2 rows\n" in half.stderr
    assert "table teams" not in half.stderr
    assert state(env) == before

    accepted = run_cli("db", "downgrade", "base", "-x", "allow-drop=teams",
                       "-x", "allow-drop=users", env=env, input="")
    assert accepted.returncode == 0, accepted.stderr
    assert state(env) == ([], set())
    if backend_name() == "sqlite":
        assert "copied the database to " in accepted.stderr


def test_a_dropped_column_is_counted_by_the_rows_that_hold_a_value(database_with_rows):
    env = database_with_rows

    refused = run_cli("db", "downgrade", CREATE_TEAMS, env=env, input="")

    assert refused.returncode == 1
    assert "  - column teams.slug (revision 21a259fcf248): 1 row holds a value\n" \
        in refused.stderr
    # The command to run names every loss; later revisions may add more than teams.slug.
    suggested = re.search(rf"flask db downgrade {CREATE_TEAMS}((?: -x \S+)+) \(or", refused.stderr)
    assert suggested and " -x allow-drop=teams.slug" in suggested.group(1), refused.stderr
    assert run_cli("db", "downgrade", CREATE_TEAMS, *suggested.group(1).split(),
                   env=env).returncode == 0
    assert state(env)[0] == [CREATE_TEAMS]


def test_a_downgrade_that_drops_only_empty_tables_asks_nothing(tmp_path, database_at_head):
    with head_database(tmp_path, database_at_head) as url:
        env = {"DATABASE_URL": url}
        result = run_cli("db", "downgrade", "base", env=env, input="")
        assert result.returncode == 0, result.stderr
        assert "drop data" not in result.stderr
        assert state(env) == ([], set())


@pytest.mark.parametrize("answer, exit_code", [(b"y\n", 0), (b"n\n", 1)], ids=["yes", "no"])
def test_at_a_terminal_the_downgrade_asks_and_does_what_it_is_told(
    database_with_rows, answer, exit_code
):
    env = database_with_rows
    controller, terminal = pty.openpty()
    try:
        os.write(controller, answer)
        # The real `flask` on a real terminal: the prompt as a user meets it.
        result = run_cli("db", "downgrade", "base", env=env, stdin=terminal, end_to_end=True)
    finally:
        os.close(terminal)
        os.close(controller)

    assert "This downgrade drops data:\n  - table teams" in result.stdout
    assert "Drop it? [y/N]" in result.stdout
    assert result.returncode == exit_code, result.stderr
    if answer == b"y\n":
        assert state(env) == ([], set())
    else:
        assert "this downgrade would drop data, so nothing was run" in result.stderr
        assert "teams" in state(env)[1]


def test_an_unknown_acknowledgment_is_refused_in_one_line(database_with_rows):
    result = run_cli("db", "downgrade", "base", "-x", "allow_drop=users", env=database_with_rows)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "-x allow_drop=users is not understood" in result.stderr


def test_a_downgrade_that_refuses_by_raising_is_read_up_to_there(tmp_path):
    """What an irreversible revision says is what the user reads, not a guess about it."""
    copy = copy_project(tmp_path / "copy")
    add_revision(copy / "migrations", "a5c41e00", "archive, for good",
                 'op.create_table("archive", sa.Column("id", sa.Integer(), primary_key=True))\n'
                 'op.execute("INSERT INTO archive (id) VALUES (1)")',
                 'raise NotImplementedError("the archive cannot be undone")')
    with throwaway_database(tmp_path) as url:
        env = {"DATABASE_URL": url}
        assert run_cli("db", "upgrade", cwd=copy, env=env).returncode == 0
        result = run_cli("db", "downgrade", cwd=copy, env=env, input="")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "revision a5c41e00 (archive, for good) failed in downgrade() at line " \
        in result.stderr
    assert "NotImplementedError: the archive cannot be undone" in result.stderr
