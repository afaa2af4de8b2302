"""Server defaults and casts through `flask db migrate`, `upgrade`, `downgrade`, rows in the tables.

Each database reports a default its own way; `flask db check` must see a
default that changed and nothing else, on each backend (TEST_DATABASE_URL).
"""
import pytest

from tests.migrations.head_script import head_script
from tests.migrations.project_copy import project_at_head

TEAMS_MODELS = "project/blueprints/teams/models.py"
CLEAN = "No new upgrade operations detected"
# Names of their own, so that the edit holds whatever the module imports today.
DEFAULTED_IMPORTS = "import datetime as _datetime\n\nimport sqlalchemy as _sa\n"
DEFAULTED_COLUMNS = '''
    colour: Mapped[str] = mapped_column(_sa.String(20), server_default="blue")
    priority: Mapped[int] = mapped_column(server_default="0")
    archived: Mapped[bool] = mapped_column(server_default=_sa.false())
    created_at: Mapped[_datetime.datetime] = mapped_column(server_default=_sa.func.now())
'''


@pytest.fixture
def project(tmp_path, database_at_head):
    """The project at head with two teams in it."""
    with project_at_head(tmp_path, database_at_head) as project:
        project.execute("INSERT INTO teams (id, name, slug) VALUES (1, 'Crew', 'crew'), "
                        "(2, 'Band', 'band')")
        yield project


def add_team(project, team_id):
    project.execute(f"INSERT INTO teams (id, name, slug) VALUES ({team_id}, 'T', 't{team_id}')")


def test_defaults_added_changed_and_removed_are_seen_and_nothing_else(project):
    project.edit(TEAMS_MODELS, "import enum\n", "import enum\n" + DEFAULTED_IMPORTS)
    project.edit(TEAMS_MODELS, "unique=True)\n", "unique=True)\n" + DEFAULTED_COLUMNS)
    project.succeed("db", "migrate", "-m", "teams have a colour and more")
    project.succeed("db", "upgrade")
    rows = project.query("SELECT id, colour, priority, archived FROM teams ORDER BY id")
    assert rows == [(1, "blue", 0, False), (2, "blue", 0, False)]
    assert project.query("SELECT count(*) FROM teams WHERE created_at IS NULL") == [(0,)]
    # Four defaults, each reported differently by each database: none of them is drift.
    assert CLEAN in project.succeed("db", "check").stdout

    project.edit(TEAMS_MODELS, 'server_default="blue"', 'server_default="green"')
    project.edit(TEAMS_MODELS, 'mapped_column(server_default="0")', "mapped_column()")
    checked = project.run("db", "check")
    assert checked.returncode == 1 and "modify_default" in checked.stderr

    project.succeed("db", "migrate", "-m", "green teams, no default priority")
    upgrade, downgrade = head_script(project).split("def downgrade")
    assert "server_default='green'" in upgrade and "server_default=sa.text(\"'blue'" in downgrade
    assert "server_default=None" in upgrade
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout
    project.execute("INSERT INTO teams (id, name, slug, priority) VALUES (3, 'T', 't3', 5)")
    assert project.query("SELECT colour, priority FROM teams WHERE id = 3") == [("green", 5)]

    project.succeed("db", "downgrade")
    add_team(project, 4)
    rows = project.query("SELECT id, colour, priority FROM teams ORDER BY id")
    assert rows == [(1, "blue", 0), (2, "blue", 0), (3, "green", 5), (4, "blue", 0)]


def test_text_to_number_is_data_dependent_and_written_with_its_cast_both_ways(project):
    project.edit(TEAMS_MODELS, "unique=True)\n",
                 "unique=True)\n    level: Mapped[str | None] = mapped_column(String(10))\n")
    project.succeed("db", "migrate", "-m", "teams have a level")
    project.succeed("db", "upgrade")
    project.execute("UPDATE teams SET level = '3'")
    scripts_before = project.scripts()

    project.edit(TEAMS_MODELS, "level: Mapped[str | None] = mapped_column(String(10))",
                 "level: Mapped[int | None]")
    refused = project.run("db", "migrate", "-m", "levels are numbers")
    assert refused.returncode == 1 and project.scripts() == scripts_before
    assert "to accept it as it is: -x allow-narrow=teams.level" in refused.stderr

    project.succeed("db", "migrate", "-m", "levels are numbers", "-x", "allow-narrow=teams.level")
    upgrade, downgrade = head_script(project).split("def downgrade")
    assert "postgresql_using='level::INTEGER'" in upgrade
    assert "postgresql_using='level::VARCHAR(10)'" in downgrade
    project.succeed("db", "upgrade")
    assert project.query("SELECT id, level FROM teams ORDER BY id") == [(1, 3), (2, 3)]
    assert CLEAN in project.succeed("db", "check").stdout

    project.succeed("db", "downgrade")
    assert project.query("SELECT id, level FROM teams ORDER BY id") == [(1, "3"), (2, "3")]
