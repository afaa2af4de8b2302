"""PostgreSQL: squawk reads each revision's SQL; what it finds is marked, told, and checked.

Through the real CLI in a copy of the project on PostgreSQL: `flask db
migrate` writes the revision with a mark for each finding and prints them,
`flask db check` refuses a finding in any revision of the history that its
script does not acknowledge (a hand-written one, say).
"""
import logging
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from project.schema.authoring import lint
from tests.databases import backend_name
from tests.migrations.project_copy import project_at_head
from tests.migrations.revisions import add_revision

on_postgresql = pytest.mark.skipif(
    backend_name() != "postgresql", reason="squawk lints PostgreSQL's SQL"
)


@pytest.fixture
def project(tmp_path, database_at_head):
    with project_at_head(tmp_path, database_at_head) as project:
        yield project


@on_postgresql
def test_the_projects_own_history_passes_the_lint(project):
    checked = project.succeed("db", "check")
    assert "No new upgrade operations detected" in checked.stdout
    assert "squawk" not in checked.stderr


@on_postgresql
def test_a_finding_is_written_with_its_mark_and_told(project):
    project.edit_user_model("mapped_column(String(64))", "mapped_column(String(128))")

    written = project.succeed("db", "migrate", "-m", "wider names")
    assert "squawk, the PostgreSQL migration linter, finds these in the new revision's SQL" \
        in written.stderr
    assert "  - changing-column-type: ALTER TABLE users ALTER COLUMN name TYPE VARCHAR(128);" \
        in written.stderr
    assert "The script is written with '# acknowledged: allow-lint=changing-column-type' atop " \
        "its upgrade()" in written.stderr
    upgrade = project.newest_script().split("def downgrade")[0]
    assert "    # acknowledged: allow-lint=changing-column-type\n" in upgrade
    project.succeed("db", "upgrade")
    assert "No new upgrade operations detected" in project.succeed("db", "check").stdout


@on_postgresql
def test_a_finding_expected_with_its_flag_is_marked_without_a_word(project):
    project.edit_user_model("mapped_column(String(64))", "mapped_column(String(128))")
    written = project.succeed("db", "migrate", "-m", "wider names",
                              "-x", "allow-lint=changing-column-type")
    assert "squawk" not in written.stderr
    assert "    # acknowledged: allow-lint=changing-column-type\n" in project.newest_script()


LABELS_MODULE = """
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from project.extensions import db


class Label(db.Model):
    __tablename__ = "labels"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
"""


@on_postgresql
def test_a_new_table_with_its_keys_indexes_and_uniques_is_written_without_findings(project):
    """Nobody uses a table yet while the revision that creates it runs: nothing to lock out."""
    project.add_models("project/blueprints/auth/labels.py", LABELS_MODULE, "Label")

    written = project.succeed("db", "migrate", "-m", "labels")
    script = project.newest_script()
    assert "op.create_table('labels'" in script
    assert "squawk" not in written.stderr
    assert "allow-lint" not in script
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


def test_every_revision_of_the_history_passes_the_lint_offline(caplog):
    """CI's lint, on every backend: the history's PostgreSQL SQL, rendered without a database."""
    assert lint.squawk_command() is not None, "squawk-cli (a dev dependency) is not installed"
    history = ScriptDirectory(str(Path(__file__).parents[2] / "migrations"))
    with caplog.at_level(logging.WARNING):
        lint.lint_history(history.walk_revisions())  # a finding not acknowledged raises
    assert caplog.messages == []
