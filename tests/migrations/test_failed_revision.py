"""A revision that fails half-way changes nothing or, where DDL commits itself, says what stayed.

SQLite and PostgreSQL roll it back whole and leave no mark; MariaDB keeps its
DDL, names it, and refuses to go on until `flask db resolve` says it is undone.
"""
import sqlalchemy as sa

from tests.cli import copy_project, run_cli
from tests.databases import throwaway_database
from tests.migrations.history import schema_names, snapshot
from tests.migrations.revisions import add_revision, current_head

HALF_WAY = """
    op.create_table(
        "widgets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("label", sa.String(20)),
    )
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("nickname", sa.String(20)))
    op.execute("INSERT INTO widgets (id, label) VALUES (1, 'half-way')")
"""
FAILURE = 'raise RuntimeError("the revision fails half-way")'
UNDO = """
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("nickname")
    op.drop_table("widgets")
"""


def write_revision(copy, down_revision, failure):
    add_revision(copy / "migrations", "f00dfa11", "add widgets, but fail half-way",
                 HALF_WAY + "    " + failure, UNDO, down_revision=down_revision)


def database_state(url):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            versions = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            return schema_names(connection), snapshot(connection), versions.scalars().all()
    finally:
        engine.dispose()


def test_a_failed_revision_leaves_the_database_as_it_was(tmp_path):
    copy = copy_project(tmp_path / "copy")
    with throwaway_database(tmp_path) as url:
        env = {"DATABASE_URL": url}
        assert run_cli("db", "upgrade", cwd=copy, env=env).returncode == 0
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO users (id, name, email, session_token) "
                "VALUES (1, 'Ada', 'ada@example.com', 't1')"
            ))
        engine.dispose()
        before = database_state(url)
        head = current_head(copy / "migrations")
        write_revision(copy, head, FAILURE)

        result = run_cli("db", "upgrade", cwd=copy, env=env)

        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert "revision f00dfa11 (add widgets, but fail half-way) failed in upgrade() at line " \
            in result.stderr
        assert "RuntimeError: the revision fails half-way" in result.stderr
        if url.startswith("mysql"):
            assert_what_stayed_is_named(result.stderr, head)
            undo_by_hand(url)
            resolved = run_cli("db", "resolve", "--rolled-back", cwd=copy, env=env)
            assert resolved.returncode == 0, resolved.stderr
        else:
            assert f"It was rolled back: the database is unchanged, still at {head}." \
                in result.stderr
            # Nothing stayed, so nothing is marked: there is nothing to resolve.
            unmarked = run_cli("db", "resolve", "--rolled-back", cwd=copy, env=env)
            assert unmarked.returncode == 1 and "Traceback" not in unmarked.stderr
            assert "no partly applied revision is marked on this database: nothing to resolve" \
                in unmarked.stderr
        assert database_state(url) == before

        write_revision(copy, head, "")
        fixed = run_cli("db", "upgrade", cwd=copy, env=env)
        assert fixed.returncode == 0, fixed.stderr
        assert database_state(url)[2] == ["f00dfa11"]


def assert_what_stayed_is_named(stderr, head):
    message = stderr.split("Error: ", 1)[1]
    # Found by comparing the schema before and after, not by reading the statements.
    assert "what stayed: added table widgets; added column users.nickname. " in message
    assert f"The database is still marked at {head}" in message
    assert "`flask db resolve`" in message
    assert "rolled back:" not in message


def undo_by_hand(url):
    """What the message tells a MariaDB user to do."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE widgets"))
        connection.execute(sa.text("ALTER TABLE users DROP COLUMN nickname"))
    engine.dispose()
