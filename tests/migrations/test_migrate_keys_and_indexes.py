"""`flask db migrate` on columns that carry a foreign key or an index, and on whole blueprints.

Each test edits a copy of the project, migrates, reads the script, upgrades
with rows in the tables, downgrades, and then puts the models back as they
were: `flask db check` clean at that point proves the downgrade restored the
schema exactly. The same file runs on SQLite, PostgreSQL and MariaDB.
"""
import os
import pty
import textwrap

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import NullPool

from tests.databases import backend_name
from tests.migrations.project_copy import REGISTRY, Project, copy_at_head, project_at_head

# A table of the tests' own, shaped like a feature's (a key to teams with an index, a key
# to users without one), so that the tests hold whatever today's blueprints look like.
GADGETS_MODULE = "project/blueprints/gadgets/models.py"
GADGETS_SOURCE = textwrap.dedent("""\
    from datetime import date

    from sqlalchemy import Date, ForeignKey, String
    from sqlalchemy.orm import Mapped, mapped_column

    from project.extensions import db


    class Gadget(db.Model):
        __tablename__ = "gadgets"

        id: Mapped[int] = mapped_column(primary_key=True)
        team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
        title: Mapped[str] = mapped_column(String(200))
        status: Mapped[str] = mapped_column(String(20))
        assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
        due_date: Mapped[date | None] = mapped_column(Date)
""")
TEAMS_MODELS = "project/blueprints/teams/models.py"
TEAM_COLUMN = 'team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE")'
ASSIGNEE_COLUMN = (
    'assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL")'
)
GADGETS = [(1, 1, "Write the plan"), (2, 1, "Test the plan"), (3, 2, "Ship it")]
CLEAN = "No new upgrade operations detected"


class Scratch(Project):
    """The project copy, with what these tests read: the new script, keys and indexes."""

    def __init__(self, root, database_url):
        super().__init__(root, database_url)
        self.originals = {
            path: (root / path).read_text() for path in (GADGETS_MODULE, TEAMS_MODELS, REGISTRY)
        }

    def migrate(self, *args):
        before = set(self.versions.glob("*.py"))
        self.succeed("db", "migrate", "-m", "change", *args)
        (script,) = set(self.versions.glob("*.py")) - before
        return script

    def keys_and_indexes(self, table):
        """{name: columns} of the table's foreign keys, and of its indexes."""
        engine = create_engine(self.database_url, poolclass=NullPool)
        try:
            inspector = inspect(engine)
            keys = {
                key["name"]: key["constrained_columns"] for key in inspector.get_foreign_keys(table)
            }
            indexes = {
                index["name"]: index["column_names"] for index in inspector.get_indexes(table)
            }
        finally:
            engine.dispose()
        return keys, indexes

    def assert_clean(self):
        assert CLEAN in self.succeed("db", "check").stdout

    def forget(self, script, *edited):
        """Remove `script` and put the `edited` files back as they were at head."""
        script.unlink()
        for relative_path in edited:
            (self.root / relative_path).write_text(self.originals[relative_path])


@pytest.fixture(scope="module")
def gadgets_at_head(tmp_path_factory, database_at_head):
    """The project with the gadgets' revision written and applied, once: each test takes a
    copy of it."""
    with project_at_head(tmp_path_factory.mktemp("gadgets"), database_at_head) as project:
        project.add_models(GADGETS_MODULE, GADGETS_SOURCE, "Gadget")
        project.succeed("db", "migrate", "-m", "add gadgets")
        project.succeed("db", "upgrade")
        yield project


@pytest.fixture
def project(tmp_path, gadgets_at_head):
    """The project at head, with a user, two teams and three gadgets."""
    with copy_at_head(gadgets_at_head, tmp_path) as copy:
        project = Scratch(copy.root, copy.database_url)
        project.execute(
            "INSERT INTO users (id, name, email, session_token) "
            "VALUES (1, 'Ada', 'ada@example.org', 'token-1')"
        )
        project.execute("INSERT INTO teams (id, name, slug) VALUES (1, 'Core', 'core'), "
                        "(2, 'Web', 'web')")
        for gadget_id, team_id, title in GADGETS:
            project.execute(
                "INSERT INTO gadgets (id, team_id, title, status, assignee_id) "
                f"VALUES ({gadget_id}, {team_id}, '{title}', 'todo', 1)"
            )
        yield project


def dropped_index(name):
    """How the script drops an index of gadgets: on PostgreSQL, concurrently, between batches."""
    if backend_name() == "postgresql":
        return (f"with op.get_context().autocommit_block():\n"
                f"        op.drop_index(op.f('{name}'), table_name='gadgets', "
                "postgresql_concurrently=True)")
    return f"drop_index(batch_op.f('{name}'))"


def created_index(name, column):
    """How the script creates an index on gadgets: on PostgreSQL, concurrently, between batches."""
    if backend_name() == "postgresql":
        return (f"with op.get_context().autocommit_block():\n"
                f"        op.create_index(op.f('{name}'), 'gadgets', ['{column}']")
    return f"create_index(batch_op.f('{name}'), ['{column}']"


def in_order(text, *fragments):
    positions = [text.index(fragment) for fragment in fragments]
    return positions == sorted(positions)


def rename_team_column(project):
    renamed = TEAM_COLUMN.replace("(ForeignKey", '("team_ref", ForeignKey')
    project.edit(GADGETS_MODULE, TEAM_COLUMN, renamed)


def assert_team_ref_renamed_both_ways(project, script):
    """The script renames the column with its key and index, and runs both ways with the rows."""
    upgrade, downgrade = script.read_text().split("def downgrade")
    assert "drop_column" not in upgrade + downgrade
    assert in_order(
        upgrade, "drop_constraint(batch_op.f('fk_gadgets_team_id_teams')",
        dropped_index('ix_gadgets_team_id'), "new_column_name='team_ref'",
        created_index('ix_gadgets_team_ref', 'team_ref'),
        "create_foreign_key(batch_op.f('fk_gadgets_team_ref_teams'), 'teams', ['team_ref'], "
        "['id'], ondelete='CASCADE')",
    )
    assert in_order(
        downgrade, "drop_constraint(batch_op.f('fk_gadgets_team_ref_teams')",
        dropped_index('ix_gadgets_team_ref'), "new_column_name='team_id'",
        created_index('ix_gadgets_team_id', 'team_id'),
        "create_foreign_key(batch_op.f('fk_gadgets_team_id_teams'), 'teams', ['team_id'], ['id'], "
        "ondelete='CASCADE')",
    )

    project.succeed("db", "upgrade")
    assert project.query("SELECT id, team_ref, title FROM gadgets ORDER BY id") == GADGETS
    keys, indexes = project.keys_and_indexes("gadgets")
    assert keys["fk_gadgets_team_ref_teams"] == ["team_ref"]
    assert indexes["ix_gadgets_team_ref"] == ["team_ref"]
    project.assert_clean()

    project.succeed("db", "downgrade")
    assert project.query("SELECT id, team_id, title FROM gadgets ORDER BY id") == GADGETS
    keys, indexes = project.keys_and_indexes("gadgets")
    assert keys["fk_gadgets_team_id_teams"] == ["team_id"]
    assert indexes["ix_gadgets_team_id"] == ["team_id"]
    project.forget(script, GADGETS_MODULE)
    project.assert_clean()


def test_a_renamed_column_keeps_its_foreign_key_and_index_under_their_new_names(project):
    rename_team_column(project)
    script = project.migrate("-x", "rename=gadgets.team_id:team_ref")
    assert_team_ref_renamed_both_ways(project, script)


def test_the_rename_prompt_offers_a_column_with_a_foreign_key_and_index(project):
    rename_team_column(project)
    before = set(project.versions.glob("*.py"))
    controller, terminal = pty.openpty()
    try:
        os.write(controller, b"y\n")
        result = project.run("db", "migrate", "-m", "rename team column", terminal=terminal)
    finally:
        os.close(terminal)
        os.close(controller)
    assert result.returncode == 0, result.stderr
    assert "Was gadgets.team_id renamed to gadgets.team_ref? [y/N]" in result.stdout
    (script,) = set(project.versions.glob("*.py")) - before
    assert_team_ref_renamed_both_ways(project, script)


def test_a_renamed_unique_column_stays_unique_under_its_new_name_with_no_acknowledgment(project):
    project.edit(TEAMS_MODELS, "slug: Mapped[str] = mapped_column(String(100)",
                 'slug: Mapped[str] = mapped_column("handle", String(100)')
    script = project.migrate("-x", "rename=teams.slug:handle")
    upgrade, downgrade = script.read_text().split("def downgrade")
    # MariaDB reflects a unique constraint as a unique index, and writes it so.
    assert in_order(
        upgrade, "batch_op.f('uq_teams_slug')", "new_column_name='handle'",
        "batch_op.f('uq_teams_handle')",
    )
    assert in_order(
        downgrade, "batch_op.f('uq_teams_handle')", "new_column_name='slug'",
        "batch_op.f('uq_teams_slug')",
    )

    teams = [(1, "core"), (2, "web")]
    project.succeed("db", "upgrade")
    assert project.query("SELECT id, handle FROM teams ORDER BY id") == teams
    with pytest.raises(IntegrityError):
        project.execute("INSERT INTO teams (id, name, handle) VALUES (3, 'Copy', 'core')")
    project.assert_clean()
    project.succeed("db", "downgrade")
    assert project.query("SELECT id, slug FROM teams ORDER BY id") == teams
    project.forget(script, TEAMS_MODELS)
    project.assert_clean()


def test_an_index_added_to_a_foreign_key_column_can_be_dropped_again(project):
    """MariaDB lets the new index replace its own for the key, and then refuses to drop it alone."""
    project.edit(GADGETS_MODULE, ASSIGNEE_COLUMN + ")", ASSIGNEE_COLUMN + ", index=True)")
    script = project.migrate()
    downgrade = script.read_text().split("def downgrade")[1]
    assert in_order(
        downgrade, "drop_constraint(batch_op.f('fk_gadgets_assignee_id_users')",
        dropped_index('ix_gadgets_assignee_id'),
        "create_foreign_key(batch_op.f('fk_gadgets_assignee_id_users'), 'users', ['assignee_id'], "
        "['id'], ondelete='SET NULL')",
    )

    project.succeed("db", "upgrade")
    project.assert_clean()
    project.succeed("db", "downgrade")
    keys, indexes = project.keys_and_indexes("gadgets")
    assert keys["fk_gadgets_assignee_id_users"] == ["assignee_id"]
    assert "ix_gadgets_assignee_id" not in indexes
    assert project.query("SELECT id, assignee_id FROM gadgets ORDER BY id") == [
        (gadget_id, 1) for gadget_id, _, _ in GADGETS
    ]
    project.forget(script, GADGETS_MODULE)
    project.assert_clean()


def test_an_index_removed_from_a_foreign_key_column_is_dropped_around_its_key(project):
    project.edit(GADGETS_MODULE, ', ondelete="CASCADE"), index=True)', ', ondelete="CASCADE"))')
    script = project.migrate()
    upgrade = script.read_text().split("def downgrade")[0]
    assert in_order(
        upgrade, "drop_constraint(batch_op.f('fk_gadgets_team_id_teams')",
        dropped_index('ix_gadgets_team_id'),
        "create_foreign_key(batch_op.f('fk_gadgets_team_id_teams'), 'teams', ['team_id'], ['id'], "
        "ondelete='CASCADE')",
    )

    project.succeed("db", "upgrade")
    assert "ix_gadgets_team_id" not in project.keys_and_indexes("gadgets")[1]
    project.assert_clean()
    project.succeed("db", "downgrade")
    assert project.keys_and_indexes("gadgets")[1]["ix_gadgets_team_id"] == ["team_id"]
    assert project.query("SELECT id, team_id, title FROM gadgets ORDER BY id") == GADGETS
    project.forget(script, GADGETS_MODULE)
    project.assert_clean()


def test_a_boolean_column_is_renamed_on_every_backend(project):
    """MariaDB reflects a Boolean as TINYINT(1): still a boolean, so still a rename."""
    project.edit(GADGETS_MODULE, "    due_date:",
                 "    archived: Mapped[bool | None]\n    due_date:")
    project.migrate()
    project.succeed("db", "upgrade")
    project.execute("UPDATE gadgets SET archived = (id = 2)")

    project.edit(GADGETS_MODULE, "    archived:", "    is_archived:")
    script = project.migrate("-x", "rename=gadgets.archived:is_archived")
    upgrade, downgrade = script.read_text().split("def downgrade")
    assert "new_column_name='is_archived'" in upgrade and "new_column_name='archived'" in downgrade
    assert "type_=" not in upgrade + downgrade

    archived = [(1, False), (2, True), (3, False)]
    project.succeed("db", "upgrade")
    stored = project.query("SELECT id, is_archived FROM gadgets")
    assert [(i, bool(v)) for i, v in stored] == archived
    project.assert_clean()
    project.succeed("db", "downgrade")
    assert [(i, bool(v)) for i, v in project.query("SELECT id, archived FROM gadgets")] == archived


BOARDS_MODELS = '''
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from project.extensions import db


class Board(db.Model):
    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class Card(db.Model):
    __tablename__ = "cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200), index=True)


class Comment(db.Model):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
'''
BOARDS_MODULE = "project/blueprints/boards/models.py"
BOARDS_ROWS = [
    "INSERT INTO boards (id, owner_id, name) VALUES (1, 1, 'Roadmap')",
    "INSERT INTO cards (id, board_id, title) VALUES (1, 1, 'Plan'), (2, 1, 'Do')",
    "INSERT INTO comments (id, card_id, author_id) VALUES (1, 2, 1)",
]


def test_a_removed_blueprint_drops_its_tables_in_order_and_the_downgrade_recreates_them(project):
    boards_import = project.add_models(
        BOARDS_MODULE, textwrap.dedent(BOARDS_MODELS), "Board", "Card", "Comment")
    boards = project.root / BOARDS_MODULE
    registry = project.root / REGISTRY
    project.migrate()
    project.succeed("db", "upgrade")
    for insert in BOARDS_ROWS:
        project.execute(insert)

    # The feature is removed: its package and its line in the registry.
    boards.unlink()
    registry.write_text(registry.read_text().replace(boards_import, ""))
    script = project.migrate(
        "-x", "allow-drop=boards", "-x", "allow-drop=cards", "-x", "allow-drop=comments"
    )
    upgrade, downgrade = script.read_text().split("def downgrade")
    assert "drop_index" not in upgrade
    # Autogenerate lists removed tables in no particular order: three make a lucky pass unlikely.
    tables = ("'comments'", "'cards'", "'boards'")
    assert in_order(upgrade, *(f"op.drop_table({table})" for table in tables))
    assert in_order(downgrade, *(f"op.create_table({table}" for table in reversed(tables)))
    assert all(
        in_order(downgrade, f"op.create_table({table}", f"op.batch_alter_table({table}")
        for table in tables
    )

    project.succeed("db", "upgrade")
    project.assert_clean()
    assert project.query("SELECT count(*) FROM gadgets") == [(len(GADGETS),)]
    project.succeed("db", "downgrade")
    for insert in BOARDS_ROWS:
        project.execute(insert)
    keys, indexes = project.keys_and_indexes("cards")
    assert keys["fk_cards_board_id_boards"] == ["board_id"]
    assert indexes["ix_cards_board_id"] == ["board_id"]

    # With the feature back, the models match the schema the downgrade rebuilt.
    boards.write_text(textwrap.dedent(BOARDS_MODELS))
    registry.write_text(registry.read_text() + boards_import)
    script.unlink()
    project.assert_clean()
