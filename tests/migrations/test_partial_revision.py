"""A revision that commits part of itself and then fails: named, marked, refused, resolved.

On PostgreSQL what runs inside `autocommit_block()` commits as it goes, as on
MariaDB every DDL statement does; the revision below fails after such a block.
"""
import pytest
import sqlalchemy as sa

from project.schema.applying.partial import read_partial_revision
from tests.cli import Followed, copy_project, run_cli, start_cli, wait_until
from tests.databases import backend_name, throwaway_database
from tests.migrations.history import schema_names
from tests.migrations.revisions import HOLD_UNTIL_RELEASED, add_revision, current_head, held

servers_only = pytest.mark.skipif(
    backend_name() == "sqlite",
    reason="SQLite rolls a failed revision back whole (tests/migrations/test_failed_revision.py)",
)

# Held after its commit where the test says (HOLD_UNTIL_RELEASED), then fails.
COMMITS_THEN_FAILS = """
    with op.get_context().autocommit_block():
        op.create_table("widgets", sa.Column("id", sa.Integer(), primary_key=True))
        with op.batch_alter_table("users") as batch_op:
            batch_op.add_column(sa.Column("nickname", sa.String(20)))
            batch_op.create_index("ix_users_nickname", ["nickname"])
""" + HOLD_UNTIL_RELEASED + """
    raise RuntimeError("the revision fails after its autocommit block")
"""
DOWNGRADE = """
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_index("ix_users_nickname")
        batch_op.drop_column("nickname")
    op.drop_table("widgets")
"""
LEFT = "added table widgets; added column users.nickname; added index ix_users_nickname on users"


@pytest.fixture
def failing_project(tmp_path):
    """(copy, env, head): a database at head with a user, and a revision after head that fails."""
    copy = copy_project(tmp_path / "copy")
    with throwaway_database(tmp_path) as url:
        env = {"DATABASE_URL": url}
        assert run_cli("db", "upgrade", cwd=copy, env=env).returncode == 0
        execute(url, "INSERT INTO users (id, name, email, session_token) "
                     "VALUES (1, 'Ada', 'ada@example.com', 't1')")
        head = current_head(copy / "migrations")
        write_failing_revision(copy, head)
        yield copy, env, head


def write_failing_revision(copy, head):
    add_revision(copy / "migrations", "f00dfa11", "add widgets, but fail after committing",
                 COMMITS_THEN_FAILS, DOWNGRADE, down_revision=head)


def execute(url, statement):
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(statement))
    engine.dispose()


def database(url):
    """(schema names, alembic_version rows, the partial mark) as they stand."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            versions = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            return schema_names(connection), versions.scalars().all(), \
                read_partial_revision(connection)
    finally:
        engine.dispose()


@servers_only
def test_what_stayed_is_named_marked_and_blocks_until_undone(failing_project):
    copy, env, head = failing_project
    names_before, _, _ = database(env["DATABASE_URL"])

    failed = run_cli("db", "upgrade", cwd=copy, env=env)

    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "revision f00dfa11 (add widgets, but fail after committing) failed in upgrade()" \
        in failed.stderr
    assert f"could not be rolled back; what stayed: {LEFT}. " in failed.stderr
    assert "rolled back:" not in failed.stderr
    names, versions, mark = database(env["DATABASE_URL"])
    assert versions == [head]
    # The mark is a table of its own beside alembic_version.
    assert "alembic_partial_revision" in names
    stayed = {name for name in names - names_before if "alembic_partial" not in name}
    assert stayed == {"widgets", "widgets.id", "users.nickname"}
    assert (mark.revision, mark.direction) == ("f00dfa11", "upgrade")
    assert "; ".join(change.describe() for change in mark.what_stayed) == LEFT

    # A plain downgrade would undo the good revision before it and keep the debris: refused.
    for command in (["downgrade"], ["upgrade"]):
        refused = run_cli("db", *command, cwd=copy, env=env)
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert "the database holds a partly applied revision: revision f00dfa11 (upgrade " \
            "failed " in refused.stderr
        assert f"left: {LEFT}." in refused.stderr
        assert "flask db resolve --applied" in refused.stderr
        assert "flask db resolve --undo" in refused.stderr
        assert "Running" not in refused.stderr
    assert database(env["DATABASE_URL"])[1] == [head]

    # Told it was undone by hand while it was not, resolve says what is still there.
    not_undone = run_cli("db", "resolve", "--rolled-back", cwd=copy, env=env)
    assert not_undone.returncode == 1
    assert f"the schema still holds what the failed revision left: {LEFT}." in not_undone.stderr

    undone = run_cli("db", "resolve", "--undo", cwd=copy, env=env)
    assert undone.returncode == 0, undone.stderr
    assert "dropped what revision f00dfa11 left: index ix_users_nickname on users, " \
        "column users.nickname, table widgets." in undone.stdout
    assert database(env["DATABASE_URL"]) == (names_before, [head], None)

    again = run_cli("db", "resolve", "--undo", cwd=copy, env=env)
    assert again.returncode == 1
    assert "no partly applied revision is marked on this database" in again.stderr

    remove_the_failure(copy)
    fixed = run_cli("db", "upgrade", cwd=copy, env=env)
    assert fixed.returncode == 0, fixed.stderr
    assert database(env["DATABASE_URL"])[1] == ["f00dfa11"]


def remove_the_failure(copy):
    path = copy / "migrations" / "versions" / "f00dfa11_add_widgets_but_fail_after_committing.py"
    path.write_text(path.read_text().replace(
        '    raise RuntimeError("the revision fails after its autocommit block")\n', ""
    ))


@servers_only
def test_a_revision_finished_by_hand_is_resolved_as_applied(failing_project):
    copy, env, head = failing_project
    assert run_cli("db", "upgrade", cwd=copy, env=env).returncode == 1

    applied = run_cli("db", "resolve", "--applied", cwd=copy, env=env)

    assert applied.returncode == 0, applied.stderr
    assert "revision f00dfa11 recorded as upgraded: the version is f00dfa11." in applied.stdout
    assert database(env["DATABASE_URL"])[1:] == (["f00dfa11"], None)
    # The revision now counts as applied: its downgrade undoes it, the previous one stays.
    down = run_cli("db", "downgrade", cwd=copy, env=env)
    assert down.returncode == 0, down.stderr
    names, versions, _ = database(env["DATABASE_URL"])
    assert versions == [head] and "widgets" not in names and "users.nickname" not in names


def test_resolve_needs_one_way_and_says_so():
    result = run_cli("db", "resolve")
    assert result.returncode == 2
    assert "say how the revision was settled: --applied, --rolled-back or --undo" \
        in result.stderr
    help_text = run_cli("db", "resolve", "--help").stdout
    for option in ("--applied", "--rolled-back", "--undo"):
        assert option in help_text


@servers_only
def test_a_waiter_finds_the_mark_and_refuses_instead_of_running_the_revision(tmp_path):
    copy = copy_project(tmp_path / "copy")
    with throwaway_database(tmp_path) as url:
        assert run_cli("db", "upgrade", cwd=copy, env={"DATABASE_URL": url}).returncode == 0
        write_failing_revision(copy, current_head(copy / "migrations"))
        # The first upgrade is held after its commit until the second waits on the lock.
        holding, running, release = held(tmp_path)
        env = {"DATABASE_URL": url, **holding}
        first = Followed(start_cli("db", "upgrade", cwd=copy, env=env))
        wait_until(running.exists, "the first upgrade to commit part of the revision")
        second = Followed(start_cli("db", "upgrade", cwd=copy, env=env))
        wait_until(lambda: "waiting for another migration" in second.stderr(),
                   "the second upgrade to wait for the lock")
        release.touch()
        (first_code, failed), (second_code, waited) = first.finish(), second.finish()

    assert (first_code, second_code) == (1, 1), (failed, waited)
    assert "failed in upgrade()" in failed
    assert "the database holds a partly applied revision: revision f00dfa11" in waited
    # The waiter ran nothing: the revision was not started a second time.
    assert "Running upgrade" not in waited


@servers_only
def test_a_downgrade_that_dropped_part_way_cannot_be_undone_but_can_be_finished(tmp_path):
    copy = copy_project(tmp_path / "copy")
    head = current_head(copy / "migrations")
    add_revision(copy / "migrations", "d0wnfa11", "add nickname, whose downgrade fails",
                 'op.add_column("users", sa.Column("nickname", sa.String(20)))',
                 """
                 with op.get_context().autocommit_block():
                     op.drop_column("users", "nickname")
                 raise RuntimeError("the downgrade fails after dropping")
                 """, down_revision=head)
    with throwaway_database(tmp_path) as url:
        env = {"DATABASE_URL": url}
        assert run_cli("db", "upgrade", cwd=copy, env=env).returncode == 0

        failed = run_cli("db", "downgrade", cwd=copy, env=env)
        assert failed.returncode == 1
        assert "failed in downgrade()" in failed.stderr
        assert "what stayed: removed column users.nickname. " in failed.stderr

        cannot = run_cli("db", "resolve", "--undo", cwd=copy, env=env)
        assert cannot.returncode == 1 and "Traceback" not in cannot.stderr
        assert "can only drop what the revision added; put these back by hand (from your " \
            "dump), then run `flask db resolve --rolled-back`: removed column users.nickname" \
            in cannot.stderr

        finished = run_cli("db", "resolve", "--applied", cwd=copy, env=env)
        assert finished.returncode == 0, finished.stderr
        assert f"revision d0wnfa11 recorded as downgraded: the version is {head}." \
            in finished.stdout
        names, versions, mark = database(url)
        assert versions == [head] and mark is None and "users.nickname" not in names
