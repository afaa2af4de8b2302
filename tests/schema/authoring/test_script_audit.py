import pytest
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from project.extensions import MIGRATIONS_DIRECTORY
from project.schema.authoring.script_audit import audit_scripts, unmarked_findings

SCRIPT = '''
from alembic import op


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("name"){name_mark}
    op.drop_table("notes"){notes_mark}
    op.drop_column(
        "teams", "slug"{slug_mark}
    )


def downgrade():
    op.drop_table("accounts")
'''


def drops(**marks):
    keys = ("name_mark", "notes_mark", "slug_mark")
    source = SCRIPT.format(**{key: marks.get(key, "") for key in keys})
    return [(drop.line, drop.target) for drop in unmarked_findings(source)]


def test_every_unmarked_drop_in_upgrade_is_found_and_downgrade_is_not_read():
    assert drops() == [(7, "users.name"), (8, "notes"), (9, "teams.slug")]


def test_the_mark_on_any_line_of_the_call_acknowledges_it():
    assert drops(
        name_mark="  # acknowledged: allow-drop=users.name",
        notes_mark="  # acknowledged: allow-drop=notes",
        slug_mark=",  # acknowledged: allow-drop=teams.slug",
    ) == []


def test_a_mark_for_another_target_does_not_count():
    assert drops(name_mark="  # acknowledged: allow-drop=users.email")[0] == (7, "users.name")


def test_the_existing_history_passes_the_audit():
    audit_scripts(ScriptDirectory(MIGRATIONS_DIRECTORY).walk_revisions())


def test_the_refusal_names_revision_file_line_and_the_mark_to_add(tmp_path):
    path = tmp_path / "2026_01_01_0000-abc_drop.py"
    path.write_text(SCRIPT.format(name_mark="", notes_mark="", slug_mark=""))

    class Script:
        revision = "abc"

    Script.path = str(path)
    with pytest.raises(CommandError) as refused:
        audit_scripts([Script])
    message = str(refused.value)
    assert "abc (2026_01_01_0000-abc_drop.py, line 7): drops users.name" in message
    mark = "# acknowledged: allow-drop=users.name"
    assert f"if the data may go, end that line with: {mark}" in message


RAW_SQL = '''
from alembic import op
import sqlalchemy as sa

teams = sa.table("teams", sa.column("id"), sa.column("name"))


def upgrade():
    op.execute("ALTER TABLE users DROP COLUMN nickname")
    op.execute(sa.text("DROP TABLE IF EXISTS notes, drafts"))
    op.execute("TRUNCATE TABLE tasks")
    op.execute("DELETE FROM memberships")
    op.execute("UPDATE teams SET name = upper(name)")
    op.execute(teams.update().values(name="renamed"))
    op.execute(sa.delete(teams))
    op.execute("DELETE FROM memberships WHERE team_id = 1")
    op.execute(teams.update().where(teams.c.id == 1).values(name="one"))
    op.execute("INSERT INTO teams (id, name) VALUES (3, 'three'); SET lock_timeout = '5s'")
    op.execute("CREATE INDEX ix_teams_name ON teams (name)")
    op.get_bind().execute(sa.text("DELETE FROM users"))
'''


def findings(source):
    return [(f.line, f.flag, f.what) for f in unmarked_findings(source)]


def test_sql_that_drops_empties_or_overwrites_a_whole_table_is_found():
    assert findings(RAW_SQL) == [
        (9, "allow-drop=users.nickname", "drops users.nickname"),
        (10, "allow-drop=notes", "drops table notes"),
        (10, "allow-drop=drafts", "drops table drafts"),
        (11, "allow-data-loss=tasks", "empties table tasks"),
        (12, "allow-data-loss=memberships", "deletes every row of memberships (no WHERE)"),
        (13, "allow-data-loss=teams", "overwrites every row of teams (no WHERE)"),
        (14, "allow-data-loss=teams", "overwrites every row of teams (no .where())"),
        (15, "allow-data-loss=teams", "deletes every row of teams (no .where())"),
        (20, "allow-data-loss=users", "deletes every row of users (no WHERE)"),
    ]


UNREADABLE = '''
from alembic import op


def upgrade():
    op.execute("CREATE TRIGGER stamp AFTER INSERT ON users BEGIN SELECT 1; END")
    op.execute("this is not SQL at all")
    op.execute(f"DELETE FROM {TABLE}")
    op.execute(statement)  # acknowledged: allow-sql=upgrade
'''


def test_sql_that_cannot_be_read_or_is_not_a_literal_needs_a_read_and_its_mark():
    assert findings(UNREADABLE) == [
        (6, "allow-sql=upgrade", "runs SQL the audit cannot read: "
                                 "CREATE TRIGGER stamp AFTER INSERT ON users BEGIN SELECT 1..."),
        (7, "allow-sql=upgrade", "runs SQL the audit cannot read: this is not SQL at all"),
        (8, "allow-sql=upgrade", "runs SQL the audit cannot read: f'DELETE FROM {TABLE}'"),
    ]


HELPERS = '''
from alembic import op


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("nickname", sa.String(20)))
    clean_up()


def clean_up():
    op.drop_column("users", "legacy")
    forget_everything()
    clean_up()


def forget_everything():
    op.execute("DROP TABLE audit_log")  # acknowledged: allow-drop=audit_log
    op.execute("DELETE FROM sessions")


def only_for_downgrade():
    op.drop_table("users")


def downgrade():
    only_for_downgrade()
'''


def test_helpers_that_upgrade_calls_are_read_transitively_and_no_others():
    found = unmarked_findings(HELPERS)
    assert [(f.line, f.function, f.flag) for f in found] == [
        (12, "clean_up", "allow-drop=users.legacy"),
        (19, "forget_everything", "allow-data-loss=sessions"),
    ]


def test_the_refusal_names_the_helper_and_how_to_acknowledge_what_was_not_read(tmp_path):
    path = tmp_path / "2026_01_01_0000-def_helpers.py"
    path.write_text(HELPERS + UNREADABLE.replace("def upgrade", "def more"))

    class Script:
        revision = "def"

    Script.path = str(path)
    with pytest.raises(CommandError) as refused:
        audit_scripts([Script])
    message = str(refused.value)
    assert "def (2026_01_01_0000-def_helpers.py, line 12, in clean_up() which upgrade() calls): " \
        "drops users.legacy" in message
    # more() is not called by upgrade(): its unreadable SQL is not read.
    assert "cannot read" not in message
