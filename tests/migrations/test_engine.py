"""The migration engine as a user meets it: quiet, reading only what runs, in place on SQLite,
with room checked and progress shown on a terminal."""
import os
import pty
import sqlite3
import re
import subprocess

import pytest
from alembic.script import ScriptDirectory

from project import create_app
from project.schema.applying import backup
from tests.cli import REPO_ROOT, command_line, copy_project, environment, run_cli
from tests.databases import backend_name, throwaway_database
from tests.migrations.revisions import add_revision

sqlite_only = pytest.mark.skipif(
    backend_name() != "sqlite", reason="SQLite's own ALTER TABLE and its file copies"
)
DETAIL = ["setting up autogenerate plugin", "Context impl", "Will assume"]


def first_revision(migrations_directory=REPO_ROOT / "migrations"):
    return list(ScriptDirectory(str(migrations_directory)).walk_revisions())[-1].revision


def test_db_commands_are_quiet_by_default_and_detailed_with_v(tmp_path):
    with throwaway_database(tmp_path) as url:
        env = {"DATABASE_URL": url}
        runs = {args: run_cli("db", *args, env=env)
                for args in [("upgrade",), ("current",), ("heads",), ("check",)]}
        verbose = run_cli("db", "-v", "current", env=env)
    for args, result in runs.items():
        assert result.returncode == 0, (args, result.stderr)
        assert not [line for line in DETAIL if line in result.stderr], (args, result.stderr)
    assert "Running upgrade" in runs[("upgrade",)].stderr
    assert "(head)" in runs[("current",)].stdout
    assert verbose.returncode == 0, verbose.stderr
    assert "Context impl" in verbose.stderr and "(head)" in verbose.stdout


def test_only_the_revisions_about_to_run_are_audited_and_an_edit_is_read_again(tmp_path):
    copy = copy_project(tmp_path / "copy")
    migrations = copy / "migrations"
    marked = 'op.drop_column("users", "name")  # acknowledged: allow-drop=users.name'
    edited = add_revision(migrations, "ed17ed01", "drop users name", marked,
                          'op.add_column("users", sa.Column("name", sa.String(80)))')
    with throwaway_database(tmp_path) as url:
        env = {"DATABASE_URL": url}
        upgraded = run_cli("db", "upgrade", cwd=copy, env=env)
        assert upgraded.returncode == 0, upgraded.stderr
        # Applied, then its mark taken away: only a command that reads it again can tell.
        edited.write_text(edited.read_text().replace("  # acknowledged: allow-drop=users.name",
                                                     ""))
        after = add_revision(migrations, "a1f7e202", "a table after it",
                             'op.create_table("after_edit", sa.Column("id", sa.Integer(), '
                             'primary_key=True))', 'op.drop_table("after_edit")')

        current = run_cli("db", "current", cwd=copy, env=env)
        later = run_cli("db", "upgrade", cwd=copy, env=env)
        # The history's shape is remembered too: an edited message is read again.
        after.write_text(after.read_text().replace('"""a table after it', '"""renamed'))
        described = run_cli("db", "current", "--verbose", cwd=copy, env=env)
        check = run_cli("db", "check", cwd=copy, env=env)

    assert current.returncode == 0, current.stderr
    assert "ed17ed01" in current.stdout
    assert described.returncode == 0, described.stderr
    assert "renamed" in described.stdout and "a table after it" not in described.stdout
    assert later.returncode == 0, later.stderr
    assert "Running upgrade ed17ed01 -> a1f7e202" in later.stderr
    assert check.returncode == 1
    assert "ed17ed01" in check.stderr and "drops users.name" in check.stderr
    assert "Traceback" not in check.stderr


GADGETS = """
    op.execute("CREATE TABLE gadgets (id INTEGER PRIMARY KEY, -- written by hand\\n"
               "name TEXT, extra TEXT, code TEXT UNIQUE)")
    op.execute("INSERT INTO gadgets (name, extra, code) VALUES ('lamp', 'x', 'L1')")
    op.execute("CREATE VIEW gadget_names AS SELECT name FROM gadgets")
"""
IN_PLACE = """
    with op.batch_alter_table("gadgets") as batch_op:
        batch_op.drop_column("extra")  # acknowledged: allow-drop=gadgets.extra
        batch_op.alter_column("name", new_column_name="title")
"""
COPIED = """
    with op.batch_alter_table("gadgets") as batch_op:
        batch_op.alter_column("title", new_column_name="label")
        batch_op.drop_column("code")  # acknowledged: allow-drop=gadgets.code
"""


@sqlite_only
def test_sqlite_drops_and_renames_columns_in_place_and_copies_only_where_it_must(tmp_path):
    copy = copy_project(tmp_path / "copy")
    migrations = copy / "migrations"
    add_revision(migrations, "9ad9e701", "gadgets", GADGETS,
                 'op.execute("DROP VIEW gadget_names")\nop.drop_table("gadgets")')
    add_revision(migrations, "9ad9e702", "in place", IN_PLACE, "pass")
    add_revision(migrations, "9ad9e703", "copied", COPIED, "pass")
    database = tmp_path / "gadgets.db"
    env = {"DATABASE_URL": f"sqlite:///{database}"}

    in_place = run_cli("db", "upgrade", "9ad9e702", cwd=copy, env=env)
    assert in_place.returncode == 0, in_place.stderr
    table_sql, rows, view = gadgets(database)
    # The table was altered, not copied: its own CREATE statement, comment and all, is kept.
    assert "-- written by hand" in table_sql
    assert rows == [(1, "lamp", "L1")]
    # SQLite renamed the column in the view as well, which a copy cannot do.
    assert view == [("lamp",)]

    copied = run_cli("db", "upgrade", cwd=copy, env=env)
    assert copied.returncode == 0, copied.stderr
    table_sql, rows, view = gadgets(database)
    # The rename ran in place; SQLite refuses to drop a UNIQUE column in place, so the
    # table was then copied without it.
    assert "-- written by hand" not in table_sql and "code" not in table_sql
    assert "label" in table_sql
    assert rows == [(1, "lamp")]
    assert view == [("lamp",)]


def gadgets(database):
    with sqlite3.connect(database) as connection:
        table_sql = connection.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'gadgets'").fetchone()[0]
        rows = connection.execute("SELECT * FROM gadgets").fetchall()
        view = connection.execute("SELECT * FROM gadget_names").fetchall()
    return table_sql, rows, view


@sqlite_only
def test_an_upgrade_without_room_for_the_copy_is_refused_with_both_figures(
        tmp_path, monkeypatch):
    database = tmp_path / "short.db"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    cli = app.test_cli_runner()
    first = first_revision()
    started = cli.invoke(args=["db", "upgrade", first])
    assert started.exit_code == 0, started.output
    size = backup.copy_size(database)
    monkeypatch.setattr(backup.shutil, "disk_usage",
                        lambda path: type("Usage", (), {"free": size // 2})())

    refused = cli.invoke(args=["db", "upgrade"])

    assert refused.exit_code == 1
    assert f"the copy needs {size / 1e6:.1f} MB" in refused.output
    assert f"has {size // 2 / 1e6:.1f} MB free" in refused.output
    assert "SQLITE_BACKUP_KEEP=0" in refused.output
    assert "Traceback" not in refused.output
    assert not list((tmp_path / "backups").glob("*.db"))
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() \
            == [(first,)]


def on_a_terminal(*args, env):
    """Run `flask ARGS` with its output on a pseudo-terminal; return (exit code, what it wrote)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(command_line(args, "flask"), cwd=REPO_ROOT,
                               env=environment(env), stdin=follower, stdout=follower,
                               stderr=follower)
    os.close(follower)
    written = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes with the process
            break
        if not chunk:
            break
        written += chunk
    os.close(leader)
    return process.wait(timeout=120), written.decode()


@sqlite_only
def test_a_terminal_sees_the_copy_and_the_revisions_progress_a_pipe_sees_plain_lines(tmp_path):
    terminal_db, piped_db = tmp_path / "terminal.db", tmp_path / "piped.db"
    first = first_revision()
    for database in (terminal_db, piped_db):
        assert run_cli("db", "upgrade", first,
                       env={"DATABASE_URL": f"sqlite:///{database}"}).returncode == 0

    code, written = on_a_terminal("db", "upgrade",
                                  env={"DATABASE_URL": f"sqlite:///{terminal_db}"})
    piped = run_cli("db", "upgrade", env={"DATABASE_URL": f"sqlite:///{piped_db}"})

    assert code == 0, written
    assert "copying the database: 100% of " in written
    assert "upgrade 1/" in written
    assert re.search(r"ran \d+ revisions? in \d", written)
    assert "Running upgrade" not in written
    assert piped.returncode == 0, piped.stderr
    assert "Running upgrade" in piped.stderr
    assert "\r" not in piped.stderr and "copying the database" not in piped.stderr
