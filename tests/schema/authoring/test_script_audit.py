import pytest
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from project.extensions import MIGRATIONS_DIRECTORY
from project.schema.authoring.script_audit import audit_scripts, unmarked_drops

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
    return [(drop.line, drop.target) for drop in unmarked_drops(source)]


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
