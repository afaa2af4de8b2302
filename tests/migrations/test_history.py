"""The history itself, walked whole: one head, every revision up and down with its data, no drift.

Nothing here names a revision: a new revision is covered by being in the history.
"""
import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from project.extensions import MIGRATIONS_DIRECTORY, db
from project.schema.applying.heads import multiple_heads_message
from tests.migrations.history import declared_losses, differences, schema_names, snapshot, \
    write_rows

SCRIPT = ScriptDirectory(MIGRATIONS_DIRECTORY)
REVISIONS = [script for script in reversed(list(SCRIPT.walk_revisions()))]


def test_the_history_has_one_head():
    assert multiple_heads_message(SCRIPT) is None, multiple_heads_message(SCRIPT)


def test_upgrade_from_empty_to_head_and_downgrade_back_to_empty(empty_app):
    flask_migrate.upgrade()
    with db.engine.connect() as connection:
        assert schema_names(connection) >= {table for table in db.metadata.tables}
    flask_migrate.downgrade(revision="base")
    with db.engine.connect() as connection:
        assert schema_names(connection) == set()


def state():
    with db.engine.connect() as connection:
        return schema_names(connection), snapshot(connection)


def write(revision_id, row_number):
    with db.engine.begin() as connection:
        write_rows(connection, revision_id, row_number)


@pytest.mark.parametrize("script", REVISIONS, ids=[s.revision for s in REVISIONS])
def test_each_revision_keeps_data_through_up_down_up(empty_app, script):
    """The stairway, with rows in every table at every step.

    Rows written before the revision survive its upgrade and its downgrade;
    rows written after it survive the downgrade and the upgrade again. What the
    revision itself adds goes with its downgrade; anything else it cannot
    restore must be declared in its docstring (`Downgrade cannot restore: ...`).
    """
    previous = script.down_revision or "base"
    flask_migrate.upgrade(revision=previous)
    write(script.revision, row_number=1)
    names_before, rows_before = state()

    flask_migrate.upgrade(revision=script.revision)
    names_at, rows_at = state()
    assert differences(rows_before, rows_at) == [], "the upgrade lost or changed data"

    write(None, row_number=2)
    _, rows_at = state()
    declared = declared_losses(script)
    # Rows sit in what the revision added: its downgrade drops them only when told to.
    flask_migrate.downgrade(revision=previous, x_arg=drops_acknowledged(names_at - names_before))
    _, rows_down = state()
    assert differences(rows_before, rows_down, exempt=declared) == [], \
        "the downgrade lost or changed data it did not declare"

    flask_migrate.upgrade(revision=script.revision)
    names_again, rows_again = state()
    assert names_again == names_at, "upgrading again built a different schema"
    added_by_revision = names_at - names_before
    assert differences(rows_at, rows_again, exempt=declared | added_by_revision) == [], \
        "a round trip through the downgrade lost or changed data it did not declare"


def drops_acknowledged(added_names):
    """`-x allow-drop=...` for each added table, and each added column of an older table."""
    tables = {name for name in added_names if "." not in name}
    return [f"allow-drop={name}" for name in sorted(added_names)
            if "." not in name or name.split(".")[0] not in tables]


def test_models_and_history_agree_at_head(empty_app):
    flask_migrate.upgrade()
    with db.engine.connect() as connection:
        migration_context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(migration_context, db.metadata) == []
