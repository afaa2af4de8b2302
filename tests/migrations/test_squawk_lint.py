"""PostgreSQL: squawk reads each revision's SQL; a finding refuses until it is acknowledged.

Through the real CLI in a copy of the project on PostgreSQL: `flask db
migrate` lints the revision it would write, `flask db check` every revision
of the history, hand-written ones included.
"""
import logging

import pytest

from project.schema.authoring import lint
from tests.cli import copy_project
from tests.databases import backend_name, throwaway_database
from tests.migrations.revisions import add_revision
from tests.migrations.test_migrate_guard import Project

on_postgresql = pytest.mark.skipif(
    backend_name() != "postgresql", reason="squawk lints PostgreSQL's SQL"
)


@pytest.fixture
def project(tmp_path):
    with throwaway_database(tmp_path) as url:
        project = Project(copy_project(tmp_path / "copy"), url)
        project.succeed("db", "upgrade")
        yield project


@on_postgresql
def test_the_projects_own_history_passes_the_lint(project):
    checked = project.succeed("db", "check")
    assert "No new upgrade operations detected" in checked.stdout
    assert "squawk" not in checked.stderr


@on_postgresql
def test_a_finding_refuses_the_new_revision_until_acknowledged(project):
    scripts_before = project.scripts()
    project.edit_user_model("mapped_column(String(64))", "mapped_column(String(128))")

    refused = project.run("db", "migrate", "-m", "wider names")
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert "flask db migrate wrote no script: squawk, the PostgreSQL migration linter, " \
        "finds these in its SQL" in refused.stderr
    assert "  - changing-column-type: ALTER TABLE users ALTER COLUMN name TYPE VARCHAR(128);" \
        in refused.stderr
    assert 'accept them with: flask db migrate -m "..." -x allow-lint=changing-column-type' \
        in refused.stderr
    assert project.scripts() == scripts_before

    project.succeed("db", "migrate", "-m", "wider names", "-x", "allow-lint=changing-column-type")
    upgrade = project.newest_script().split("def downgrade")[0]
    assert "    # acknowledged: allow-lint=changing-column-type\n" in upgrade
    project.succeed("db", "upgrade")
    assert "No new upgrade operations detected" in project.succeed("db", "check").stdout


PLAIN_INDEX = 'op.create_index("ix_users_name", "users", ["name"])'


@on_postgresql
def test_check_refuses_a_hand_written_finding_until_its_script_carries_the_mark(project):
    project.edit_user_model("mapped_column(String(64))", "mapped_column(String(64), index=True)")
    path = add_revision(project.root / "migrations", "ba5e1dex", "index user names",
                        PLAIN_INDEX, 'op.drop_index("ix_users_name", table_name="users")')
    project.succeed("db", "upgrade")

    refused = project.run("db", "check")
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert f"  ba5e1dex ({path.name}):\n" \
        "    - require-concurrent-index-creation: CREATE INDEX ix_users_name ON users (name);" \
        in refused.stderr
    assert "if it must be so, add to its upgrade(): " \
        "# acknowledged: allow-lint=require-concurrent-index-creation" in refused.stderr

    path.write_text(path.read_text().replace(
        f"    {PLAIN_INDEX}",
        f"    {PLAIN_INDEX}  # acknowledged: allow-lint=require-concurrent-index-creation",
    ))
    assert "No new upgrade operations detected" in project.succeed("db", "check").stdout


def test_without_squawk_the_lint_says_so_in_one_line_and_finds_nothing(monkeypatch, caplog):
    monkeypatch.setattr(lint, "squawk_command", lambda: None)
    with caplog.at_level(logging.WARNING):
        assert lint.lint({"r1": "CREATE INDEX ix ON t (c);"}) == []
    assert caplog.messages == [
        "squawk is not installed (pip install squawk-cli): the PostgreSQL migration lint "
        "was skipped"
    ]
