"""`flask db migrate` as a user runs it, in a copy of the project on a real database at head.

Each test edits the copy's models the way a developer would, and checks what
the guard refuses, what it writes, what it says, and that what it writes
upgrades and downgrades with the rows intact.
"""
import os
import pty
import textwrap

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy.exc import DBAPIError

from tests.migrations.project_copy import project_at_head

USERS = [(1, "Ada", "ada@example.org"), (2, "Grace", "grace@example.org")]


@pytest.fixture
def project(tmp_path, database_at_head):
    """The project at head, with two users in it."""
    with project_at_head(tmp_path, database_at_head) as project:
        project.add_users(USERS)
        yield project


def assert_refused(result, project, scripts_before):
    """Exit 1, one clear error, no traceback, no script written."""
    assert result.returncode == 1
    assert "ERROR [flask_migrate] Error: flask db migrate wrote no script" in result.stderr
    assert "Traceback" not in result.stderr
    assert project.scripts() == scripts_before


def test_a_removed_field_is_refused_then_written_with_its_mark_when_acknowledged(project):
    scripts_before = project.scripts()
    project.edit_user_model("    name: Mapped[str] = mapped_column(String(64))\n", "")

    refused = project.run("db", "migrate", "-m", "remove user name")
    assert_refused(refused, project, scripts_before)
    assert "drops column users.name: its data is lost" in refused.stderr
    assert "to accept it as it is: -x allow-drop=users.name" in refused.stderr

    project.succeed("db", "migrate", "-m", "remove user name", "-x", "allow-drop=users.name")
    marked = "batch_op.drop_column('name')  # acknowledged: allow-drop=users.name"
    assert marked in project.newest_script()
    assert "\nDowngrade cannot restore: users.name (dropped by the upgrade, as acknowledged).\n" \
        in project.newest_script()
    project.succeed("db", "upgrade")
    assert project.query("SELECT id, email FROM users ORDER BY id") == [(i, e) for i, _, e in USERS]
    assert "No new upgrade operations detected" in project.succeed("db", "check").stdout


def test_a_renamed_field_is_refused_with_the_rename_flag_and_kept_when_named(project):
    scripts_before = project.scripts()
    project.edit_user_model("    name: Mapped[str]", "    display_name: Mapped[str]")

    refused = project.run("db", "migrate", "-m", "rename user name")
    assert_refused(refused, project, scripts_before)
    assert "keep its data with: -x rename=users.name:display_name" in refused.stderr

    project.succeed(
        "db", "migrate", "-m", "rename user name", "-x", "rename=users.name:display_name"
    )
    upgrade, downgrade = project.newest_script().split("def downgrade")
    assert "new_column_name='display_name'" in upgrade and "new_column_name='name'" in downgrade
    assert "drop_column" not in upgrade + downgrade

    project.succeed("db", "upgrade")
    names = [(user_id, name) for user_id, name, _ in USERS]
    assert project.query("SELECT id, display_name FROM users ORDER BY id") == names
    assert "No new upgrade operations detected" in project.succeed("db", "check").stdout
    project.succeed("db", "downgrade")
    assert project.query("SELECT id, name FROM users ORDER BY id") == names


def test_a_rename_confirmed_at_the_terminal_prompt_is_written_as_a_rename(project):
    project.edit_user_model("    name: Mapped[str]", "    display_name: Mapped[str]")
    controller, terminal = pty.openpty()
    try:
        os.write(controller, b"y\n")
        result = project.run("db", "migrate", "-m", "rename user name", terminal=terminal)
    finally:
        os.close(terminal)
        os.close(controller)
    assert result.returncode == 0, result.stderr
    assert "Was users.name renamed to users.display_name? [y/N]" in result.stdout
    assert "new_column_name='display_name'" in project.newest_script()


def test_a_renamed_table_is_renamed_with_its_rows_and_constraints(project):
    scripts_before = project.scripts()
    project.edit_user_model('__tablename__ = "users"', '__tablename__ = "accounts"')
    # Other blueprints point at the table by name: a team renaming it edits them too.
    project.point_foreign_keys("users", "accounts")

    refused = project.run("db", "migrate", "-m", "rename users to accounts")
    assert_refused(refused, project, scripts_before)
    assert "drops table users: every row in it is lost" in refused.stderr
    assert "keep its data with: -x rename=users:accounts" in refused.stderr

    project.succeed(
        "db", "migrate", "-m", "rename users to accounts", "-x", "rename=users:accounts"
    )
    assert "op.rename_table('users', 'accounts')" in project.newest_script()
    project.succeed("db", "upgrade")
    assert project.query("SELECT id, name, email FROM accounts ORDER BY id") == USERS
    assert "No new upgrade operations detected" in project.succeed("db", "check").stdout
    project.succeed("db", "downgrade")
    assert project.query("SELECT id, name, email FROM users ORDER BY id") == USERS


def test_the_tasks_table_renamed_keeps_its_rows_enum_checks_and_indexes(project):
    """The table with everything: an enum (SQLite's CHECK named after the table), a check of
    its own (not on MariaDB), named indexes, foreign keys in and out."""
    project.execute("INSERT INTO teams (id, name, slug) VALUES (1, 'Crew', 'crew')")
    project.execute("INSERT INTO tasks (id, team_id, title, status) VALUES (1, 1, 'Plan', 'doing')")
    project.edit("project/blueprints/tasks/models.py", '__tablename__ = "tasks"',
                 '__tablename__ = "todo_items"')
    project.point_foreign_keys("tasks", "todo_items")

    project.succeed("db", "migrate", "-m", "tasks are todo items", "-x", "rename=tasks:todo_items")
    upgrade, downgrade = project.newest_script().split("def downgrade")
    assert "op.rename_table('tasks', 'todo_items')" in upgrade
    # The indexes are named outright, the same for the new table: they stay as they are.
    assert "drop_index" not in upgrade and "enum_type" not in upgrade + downgrade
    assert "batch_op.f('ck_todo_items_assignee_in_team')" in upgrade
    project.succeed("db", "upgrade")
    assert project.query("SELECT id, title, status FROM todo_items") == [(1, "Plan", "doing")]
    assert "No new upgrade operations detected" in project.succeed("db", "check").stdout
    with pytest.raises(DBAPIError):
        project.execute("INSERT INTO todo_items (id, team_id, title, status) "
                        "VALUES (2, 1, 'Later', 'someday')")

    project.succeed("db", "downgrade")
    assert project.query("SELECT id, title, status FROM tasks") == [(1, "Plan", "doing")]


NOTES_MODELS = '''
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from project.extensions import db


class Note(db.Model):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(String(200))
'''
NOTES_IMPORT = "from project.blueprints.notes.models import Note  # noqa: F401\n"


def test_a_model_the_registry_forgot_is_named_with_the_import_to_add(project):
    notes = project.root / "project" / "blueprints" / "notes"
    notes.mkdir()
    (notes / "__init__.py").write_text("")
    (notes / "models.py").write_text(textwrap.dedent(NOTES_MODELS))
    registry = project.root / "project" / "models" / "__init__.py"
    registry.write_text(registry.read_text() + NOTES_IMPORT)
    project.succeed("db", "migrate", "-m", "add notes")
    project.succeed("db", "upgrade")
    scripts_before = project.scripts()

    registry.write_text(registry.read_text().replace(NOTES_IMPORT, ""))
    refused = project.run("db", "migrate", "-m", "nothing meant")
    assert_refused(refused, project, scripts_before)
    assert "drops table notes: every row in it is lost" in refused.stderr
    assert (
        "the model Note (project.blueprints.notes.models) still defines this table, "
        "but the registry does not import it: add to project/models/__init__.py:\n"
        "          from project.blueprints.notes.models import Note"
    ) in refused.stderr


def test_a_new_not_null_column_is_refused_with_the_safe_form_which_then_passes(project):
    scripts_before = project.scripts()
    required = '    nickname: Mapped[str] = mapped_column(String(40))\n'
    project.edit_user_model("    email: Mapped[str]", required + "    email: Mapped[str]")

    refused = project.run("db", "migrate", "-m", "add nickname")
    assert_refused(refused, project, scripts_before)
    assert "adds NOT NULL column users.nickname without a server default" in refused.stderr
    assert "safe form: give the column a server_default=..." in refused.stderr
    assert "-x allow-not-null=users.nickname" in refused.stderr

    project.edit_user_model("String(40))", 'String(40), server_default="")')
    project.succeed("db", "migrate", "-m", "add nickname")
    project.succeed("db", "upgrade")
    assert project.query("SELECT id, nickname FROM users ORDER BY id") == [(1, ""), (2, "")]


def test_narrowing_refusing_nulls_and_a_new_unique_need_acknowledgment_each(project):
    scripts_before = project.scripts()
    project.edit_user_model(
        "name: Mapped[str] = mapped_column(String(64))",
        "name: Mapped[str] = mapped_column(String(32), unique=True)",
    )
    project.edit_user_model("password_hash: Mapped[str | None]", "password_hash: Mapped[str]")
    flags = [
        "allow-narrow=users.name", "allow-not-null=users.password_hash", "allow-unique=users.name"
    ]

    refused = project.run("db", "migrate", "-m", "tighten users")
    assert_refused(refused, project, scripts_before)
    assert "values that do not fit are cut or refused" in refused.stderr
    assert "the upgrade fails if any row holds NULL" in refused.stderr
    assert "UPDATE users SET password_hash = ... WHERE password_hash IS NULL" in refused.stderr
    assert "the upgrade fails if two rows share a value" in refused.stderr
    assert all(f"to accept it as it is: -x {flag}" in refused.stderr for flag in flags)

    x_arguments = [argument for flag in flags for argument in ("-x", flag)]
    project.succeed("db", "migrate", "-m", "tighten users", *x_arguments)
    script = project.newest_script()
    assert all(f"# acknowledged: {flag}" in script for flag in flags)


HAND_WRITTEN = '''
"""drop password hash by hand"""
from alembic import op

revision = "0badd0e5"
down_revision = "{down_revision}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("password_hash"){mark}


def downgrade():
    pass
'''


def test_a_hand_written_drop_without_its_mark_is_caught_by_check_and_refused_by_upgrade(project):
    script = project.versions / "2099_01_01_0000-0badd0e5_drop_password_hash.py"
    head = ScriptDirectory(str(project.versions.parent)).get_current_head()
    script.write_text(HAND_WRITTEN.format(down_revision=head, mark=""))

    checked, upgraded = project.run("db", "check"), project.run("db", "upgrade")
    # The script a DBA would run by hand is refused too.
    offline = project.run("db", "upgrade", "--sql")
    expected = (
        "  - 0badd0e5 (2099_01_01_0000-0badd0e5_drop_password_hash.py, line 13): "
        "drops users.password_hash"
    )
    for result in (checked, upgraded, offline):
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "These revisions drop data in upgrade() without an acknowledgment" in result.stderr
        assert expected in result.stderr
        assert "end that line with: # acknowledged: allow-drop=users.password_hash" in result.stderr
    assert project.query("SELECT count(password_hash) FROM users") == [(0,)]

    script.write_text(HAND_WRITTEN.format(
        down_revision=head, mark="  # acknowledged: allow-drop=users.password_hash"
    ))
    project.succeed("db", "upgrade")
    assert project.query("SELECT id, name FROM users ORDER BY id") == [(i, n) for i, n, _ in USERS]


def test_no_model_change_writes_no_script(project):
    scripts_before = project.scripts()
    result = project.succeed("db", "migrate", "-m", "nothing changed")
    assert "No changes in schema detected." in result.stderr
    assert project.scripts() == scripts_before


RAW_SQL_BY_HAND = '''
"""clear out users by hand"""
from alembic import op

revision = "5a1f0c1e"
down_revision = "{down_revision}"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE users DROP COLUMN password_hash"){drop_mark}
    forget_names()


def forget_names():
    op.execute("UPDATE users SET name = 'anonymous'"){update_mark}


def downgrade():
    pass
'''


def test_raw_sql_that_loses_data_in_upgrade_or_its_helpers_needs_its_mark(project):
    script = project.versions / "2099_01_01_0000-5a1f0c1e_clear_out_users.py"
    head = ScriptDirectory(str(project.versions.parent)).get_current_head()
    script.write_text(RAW_SQL_BY_HAND.format(down_revision=head, drop_mark="", update_mark=""))

    for result in (project.run("db", "check"), project.run("db", "upgrade")):
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "  - 5a1f0c1e (2099_01_01_0000-5a1f0c1e_clear_out_users.py, line 12): " \
            "drops users.password_hash" in result.stderr
        assert "  - 5a1f0c1e (2099_01_01_0000-5a1f0c1e_clear_out_users.py, line 17, in " \
            "forget_names() which upgrade() calls): overwrites every row of users (no WHERE)" \
            in result.stderr
        assert "end that line with: # acknowledged: allow-data-loss=users" in result.stderr
    assert project.query("SELECT id, name FROM users ORDER BY id") == [(1, "Ada"), (2, "Grace")]

    script.write_text(RAW_SQL_BY_HAND.format(
        down_revision=head,
        drop_mark="  # acknowledged: allow-drop=users.password_hash",
        update_mark="  # acknowledged: allow-data-loss=users",
    ))
    project.succeed("db", "upgrade")
    assert project.query("SELECT name FROM users") == [("anonymous",), ("anonymous",)]
