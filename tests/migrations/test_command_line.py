"""The history from the command line: two heads, drift, and SQL written without a database."""
import re

import pytest
from alembic.script import ScriptDirectory

from project.extensions import MIGRATIONS_DIRECTORY
from tests.cli import copy_project, run_cli
from tests.databases import head_database, throwaway_database
from tests.migrations.revisions import add_revision


def test_two_heads_are_refused_with_the_merge_command_that_joins_them(tmp_path):
    copy = copy_project(tmp_path / "copy")
    script = ScriptDirectory(str(copy / "migrations"))
    head = script.get_revision(script.get_current_head())
    add_revision(copy / "migrations", "0the4ead", "add the other team's table",
                 'op.create_table("gadgets", sa.Column("id", sa.Integer(), primary_key=True))',
                 'op.drop_table("gadgets")', down_revision=head.down_revision)
    with throwaway_database(tmp_path) as url:
        env = {"DATABASE_URL": url}
        for command in (["db", "upgrade"], ["db", "migrate", "-m", "more"]):
            result = run_cli(*command, cwd=copy, env=env)
            assert result.returncode == 1, command
            assert "the migration history has 2 heads: " in result.stderr
            assert "0the4ead (add the other team's table)" in result.stderr
            assert f"{head.revision} ({head.doc})" in result.stderr
            assert "Traceback" not in result.stderr

        merge = re.search(r"join them with: (flask db merge .*)$", result.stderr, re.MULTILINE)
        assert merge, result.stderr
        merge_args = merge.group(1).split()[1:]
        assert merge_args == ["db", "merge", "-m", '"merge', 'heads"',
                              *sorted([head.revision, "0the4ead"])]
        joined = run_cli("db", "merge", "-m", "merge heads", *merge_args[5:], cwd=copy, env=env)
        assert joined.returncode == 0, joined.stderr
        upgraded = run_cli("db", "upgrade", cwd=copy, env=env)
        assert upgraded.returncode == 0, upgraded.stderr


def test_db_check_finds_nothing_to_migrate_at_head_and_says_only_that(tmp_path, database_at_head):
    with head_database(tmp_path, database_at_head) as url:
        check = run_cli("db", "check", env={"DATABASE_URL": url})
        verbose = run_cli("db", "-v", "check", env={"DATABASE_URL": url})
    assert check.returncode == 0, check.stderr
    assert "No new upgrade operations detected." in check.stdout
    assert "setting up autogenerate plugin" not in check.stderr
    assert verbose.returncode == 0, verbose.stderr
    assert "setting up autogenerate plugin alembic.autogenerate.tables" in verbose.stderr


def test_a_warning_of_flask_db_migrate_is_said_once(tmp_path, database_at_head):
    copy = copy_project(tmp_path / "copy")  # where a revision would be written
    with head_database(tmp_path, database_at_head) as url:
        migrate = run_cli("db", "-x", "allow-drop=users.nmae", "migrate", "-m", "nothing",
                          cwd=copy, env={"DATABASE_URL": url})
    assert migrate.returncode == 0, migrate.stderr
    assert migrate.stderr.count("-x allow-drop=users.nmae accepts nothing") == 1, migrate.stderr
    assert "No changes in schema detected." in migrate.stderr


@pytest.mark.parametrize(
    "unreachable_url, dialect_sql, transactional",
    [
        ("postgresql://nobody@127.0.0.1:9/nothing", "CREATE TABLE users (\n    id SERIAL", True),
        # MySQL's DDL commits itself: the script has no transactions to show.
        ("mysql://nobody@127.0.0.1:9/nothing", "id INTEGER NOT NULL AUTO_INCREMENT", False),
    ],
)
def test_upgrade_sql_writes_a_script_without_a_database(
    unreachable_url, dialect_sql, transactional
):
    result = run_cli("db", "upgrade", "--sql", env={"DATABASE_URL": unreachable_url})
    assert result.returncode == 0, result.stderr
    assert dialect_sql in result.stdout
    assert "CREATE TABLE alembic_version" in result.stdout
    # One transaction per revision, where the database has them; an index built or dropped
    # CONCURRENTLY runs between two, outside any transaction, as PostgreSQL requires.
    revisions = len(list(ScriptDirectory(MIGRATIONS_DIRECTORY).walk_revisions()))
    outside = [(statement, in_transaction)
               for statement, in_transaction in statements_in_transaction(result.stdout)
               if "CONCURRENTLY" in statement]
    assert not any(in_transaction for _, in_transaction in outside)
    assert bool(outside) is transactional  # MySQL has no CONCURRENTLY
    expected = revisions + len(outside) if transactional else 0
    assert result.stdout.count("BEGIN;") == result.stdout.count("COMMIT;") == expected


def statements_in_transaction(script):
    """[(statement, whether a transaction is open around it)] of an offline SQL script."""
    open_, found = False, []
    without_comments = "\n".join(line for line in script.splitlines() if not line.startswith("--"))
    for statement in without_comments.split(";\n"):
        statement = statement.strip()
        if statement in ("BEGIN", "COMMIT"):
            open_ = statement == "BEGIN"
        elif statement:
            found.append((statement, open_))
    return found
