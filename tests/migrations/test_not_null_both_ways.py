"""A NOT NULL column and a table with rows, in both directions of a migration."""
import pytest
from sqlalchemy.exc import DBAPIError

from tests.migrations.head_script import head_script, head_script_path
from tests.migrations.project_copy import project_at_head
from tests.migrations.test_migrate_guard import USERS

USERS_MODELS = "project/blueprints/auth/models.py"
NAME = "    name: Mapped[str] = mapped_column(String(64))\n"
CLEAN = "No new upgrade operations detected"


@pytest.fixture
def project(tmp_path, database_at_head):
    with project_at_head(tmp_path, database_at_head) as project:
        project.add_users(USERS)
        yield project


def test_a_dropped_not_null_column_comes_back_filled_so_the_downgrade_runs_on_rows(project):
    project.edit(USERS_MODELS, NAME, "")
    project.succeed("db", "migrate", "-m", "no names", "-x", "allow-drop=users.name")
    script = head_script(project)
    assert "Downgrade cannot restore: users.name" in script
    downgrade = script.split("def downgrade")[1]
    added = next(line for line in downgrade.splitlines() if "add_column" in line)
    assert "server_default=sa.text(" in added and "''" in added and "nullable=False" in added
    assert "server_default=None" in downgrade
    project.succeed("db", "upgrade")

    project.succeed("db", "downgrade")
    assert project.query("SELECT id, name, email FROM users ORDER BY id") == [
        (user_id, "", email) for user_id, _, email in USERS
    ]
    # The schema is the one before: NOT NULL, no default. (The developer gives up the change.)
    head_script_path(project).unlink()
    project.edit(USERS_MODELS, "    email: Mapped[str]", NAME + "    email: Mapped[str]")
    assert CLEAN in project.succeed("db", "check").stdout
    with pytest.raises(DBAPIError):
        project.execute("INSERT INTO users (id, email, session_token) VALUES (3, 'c@x.org', 't3')")
