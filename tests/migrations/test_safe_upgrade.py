"""`flask db upgrade` in production: one migrator at a time, precautions first, clear refusals."""
import pytest
import sqlalchemy as sa

from project import create_app
from project.extensions import db
from project.schema.applying.lock import migration_lock
from tests.cli import Followed, copy_project, run_cli, start_cli, wait_until
from tests.databases import backend_name, throwaway_database
from tests.migrations.revisions import HOLD_UNTIL_RELEASED, add_revision, held

COUNTERS = """
    op.create_table("counters", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("n", sa.Integer(), nullable=False))
    op.execute("INSERT INTO counters (id, n) VALUES (1, 0)")
"""
# Not idempotent, so that running twice shows; held where the test says (HOLD_UNTIL_RELEASED).
HELD_INCREMENT = HOLD_UNTIL_RELEASED + """
    op.execute("UPDATE counters SET n = n + 1 WHERE id = 1")
"""


@pytest.fixture
def counting_project(tmp_path):
    """A copy of the project whose history ends in a slow, non-idempotent revision."""
    copy = copy_project(tmp_path / "copy")
    add_revision(copy / "migrations", "c0un7e45", "add counters", COUNTERS,
                 'op.drop_table("counters")')
    add_revision(copy / "migrations", "510wc0un", "count, slowly, and only once",
                 HELD_INCREMENT, 'op.execute("UPDATE counters SET n = n - 1 WHERE id = 1")')
    with throwaway_database(tmp_path) as url:
        assert run_cli("db", "upgrade", "c0un7e45", cwd=copy, env={"DATABASE_URL": url}) \
            .returncode == 0
        yield copy, url


def counter(url):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT n FROM counters")).scalar()
    finally:
        engine.dispose()


def test_four_simultaneous_upgrades_apply_the_last_revision_once(counting_project, tmp_path):
    """One upgrade holds the lock inside the revision until the three others wait for it,
    whatever the machine's load: then each of them finds the database at head."""
    copy, url = counting_project
    holding, running, release = held(tmp_path)
    env = {"DATABASE_URL": url, **holding}
    first = Followed(start_cli("db", "upgrade", cwd=copy, env=env))
    wait_until(running.exists, "the first upgrade to reach the revision")
    others = [Followed(start_cli("db", "upgrade", cwd=copy, env=env)) for _ in range(3)]
    wait_until(lambda: all("waiting for another migration" in other.stderr() for other in others),
               "the three other upgrades to wait for the lock")
    release.touch()
    results = [upgrade.finish() for upgrade in (first, *others)]

    assert [code for code, _ in results] == [0, 0, 0, 0], results
    assert counter(url) == 1
    # The waiters found the database at head: nothing ran for them.
    assert sum("Running upgrade c0un7e45 -> 510wc0un" in err for _, err in results) == 1


def test_a_waiter_gives_up_after_the_timeout_with_a_clear_message(counting_project):
    copy, url = counting_project
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        with migration_lock(db.engine, timeout=5, on_wait=print):
            result = run_cli("db", "upgrade", cwd=copy,
                             env={"DATABASE_URL": url, "MIGRATION_LOCK_TIMEOUT": "0.5"})
        db.engine.dispose()
    assert result.returncode == 1
    assert "waiting for another migration of this database to finish" in result.stderr
    assert "gave up after 0.5 s waiting for another migration of this database to finish; " \
        "set MIGRATION_LOCK_TIMEOUT to wait longer" in result.stderr
    assert "Traceback" not in result.stderr
    assert counter(url) == 0


def test_the_precaution_fits_the_database(counting_project):
    """SQLite: a copy before the change. A server holding data: one reminder to dump it."""
    copy, url = counting_project
    result = run_cli("db", "upgrade", cwd=copy, env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    if backend_name() == "sqlite":
        assert "copied the database to " in result.stderr
        assert "holds data" not in result.stderr
    else:
        assert result.stderr.count("this database holds data and is about to change") == 1
    nothing_to_do = run_cli("db", "upgrade", cwd=copy, env={"DATABASE_URL": url})
    assert "copied the database" not in nothing_to_do.stderr
    assert "holds data" not in nothing_to_do.stderr


def test_an_empty_server_database_gets_no_reminder(tmp_path):
    with throwaway_database(tmp_path) as url:
        result = run_cli("db", "upgrade", env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert "holds data" not in result.stderr and "copied the database" not in result.stderr


@pytest.mark.parametrize(
    "args, env, message",
    [
        (["db", "upgrade", "nosuchrev"], {}, "Can't locate revision identified by 'nosuchrev'"),
        (["db", "downgrade", "nosuchrev"], {}, "Can't locate revision identified by 'nosuchrev'"),
        (["db", "upgrade"], {"DATABASE_URL": "postgresql://app:secret@127.0.0.1:9/app"},
         "cannot use the database postgresql+psycopg://app:***@127.0.0.1:9/app: connection"),
        (["db", "upgrade"], {"DATABASE_URL": "mysql://app@127.0.0.1:9/app"},
         "cannot use the database mysql+pymysql://app@127.0.0.1:9/app?charset=utf8mb4: (2003"),
        (["db", "upgrade"], {"DATABASE_URL": "sqlite:////no/such/folder/app.db"},
         "cannot use the SQLite database: its folder /no/such/folder does not exist"),
        (["db", "upgrade"], {"DATABASE_URL": "::not a url::"}, "DATABASE_URL cannot be parsed"),
        (["db", "upgrade", "--directory", "no-such-migrations"], {},
         "Path doesn't exist: no-such-migrations"),
    ],
    ids=["unknown revision", "unknown downgrade revision", "postgresql unreachable",
         "mariadb unreachable", "sqlite folder missing", "unparseable url",
         "missing migrations folder"],
)
def test_bad_input_gets_one_clear_line_and_a_non_zero_exit(tmp_path, args, env, message):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", **env}
    result = run_cli(*args, env=env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "Error" in line]
    assert len(errors) == 1 and "secret" not in result.stderr


def test_a_database_at_a_revision_the_history_lacks_says_how_out(tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    env = {"DATABASE_URL": url}
    assert run_cli("db", "upgrade", env=env).returncode == 0
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        head = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        connection.execute(sa.text("UPDATE alembic_version SET version_num = 'deadbeef1234'"))
    engine.dispose()

    for command in (["db", "current"], ["db", "upgrade"]):
        result = run_cli(*command, env=env)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "the database is at revision deadbeef1234, which migrations/ does not have" \
            in result.stderr
        assert "run `flask db stamp --purge REV`" in result.stderr

    assert run_cli("db", "stamp", "--purge", head, env=env).returncode == 0
    assert run_cli("db", "upgrade", env=env).returncode == 0


@pytest.mark.parametrize(
    "commands, hint",
    [
        ([["db", "downgrade"]], "there are not that many revisions to step through"),
        ([["db", "upgrade", "base"], ["db", "upgrade", "+1"], ["db", "migrate", "-m", "x"]],
         "run `flask db upgrade` first, then `flask db migrate` again"),
    ],
    ids=["downgrade an empty database", "migrate a database behind head"],
)
def test_alembics_refusals_come_with_what_to_do(tmp_path, commands, hint):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}"}
    for command in commands:
        result = run_cli(*command, env=env)
    assert result.returncode == 1
    assert hint in result.stderr and "Traceback" not in result.stderr


def test_sqlite_copies_are_kept_to_a_limit_and_restore_puts_one_back(tmp_path):
    database = tmp_path / "app.db"
    env = {"DATABASE_URL": f"sqlite:///{database}", "SQLITE_BACKUP_KEEP": "2"}
    assert run_cli("db", "upgrade", env=env).returncode == 0  # a new file: nothing to copy
    assert run_cli("db", "restore", env=env).stdout.startswith("no copies of ")
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO users (id, name, email, session_token) VALUES (1, 'Ada', 'a@x.io', 't')"
        ))

    for command in (["downgrade"], ["upgrade"], ["downgrade"]):
        result = run_cli("db", *command, env=env)
        assert result.returncode == 0 and "copied the database to " in result.stderr
    listing = run_cli("db", "restore", env=env).stdout.splitlines()
    assert len(listing) == 2 and all(".db" in line for line in listing)
    assert len(list((tmp_path / "backups").glob("app-*.db"))) == 2

    # The newest copy is the database at head, as it was before the last downgrade.
    refused = run_cli("db", "restore", "1", env=env, input="")
    assert refused.returncode == 1
    assert "add --yes to restore without a terminal to confirm on" in refused.stderr
    restored = run_cli("db", "restore", "1", "--yes", env=env)
    assert restored.returncode == 0 and "the database as it was is saved as" in restored.stdout
    assert "(head)" in run_cli("db", "current", env=env).stdout
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT name FROM users")).scalar() == "Ada"
    engine.dispose()


def test_restore_is_for_sqlite_files_only():
    result = run_cli("db", "restore", env={"DATABASE_URL": "postgresql://u@127.0.0.1:9/db"})
    assert result.returncode == 1
    assert "restore your dump (see 'Before upgrading production' in README.md)" in result.stderr
