"""An index on an expression through `flask db migrate`, `upgrade`, a table rebuild, `downgrade`.

SQLAlchemy cannot reflect such an index from SQLite, so Alembic skips it there:
without the project's comparison, adding one to a model wrote nothing on
SQLite, and a batch rebuild of its table dropped it for good. PostgreSQL's
own comparison sees it; MariaDB has no index on an expression.
"""
import pytest

from tests.databases import backend_name
from tests.migrations.head_script import head_script

pytestmark = pytest.mark.skipif(backend_name() in ("mariadb", "mysql"),
                                reason="MariaDB has no index on an expression")

TEAMS_MODELS = "project/blueprints/teams/models.py"
CLEAN = "No new upgrade operations detected"
INDEX = '\n\nIndex("ix_teams_lower_name", func.lower(Team.name), unique=True)\n'
ACCEPT = ("-x", "allow-unique=teams.ix_teams_lower_name")


@pytest.fixture
def project(two_teams):
    """The project at head with two teams, Crew and Band."""
    return two_teams


def test_a_unique_index_on_lower_names_is_written_kept_through_a_rebuild_and_undone(project):
    project.edit(TEAMS_MODELS, "from sqlalchemy import ", "from sqlalchemy import Index, ")
    with open(project.root / TEAMS_MODELS, "a") as models:
        models.write(INDEX)
    checked = project.run("db", "check")
    assert checked.returncode == 1 and "ix_teams_lower_name" in checked.stderr
    refused = project.run("db", "migrate", "-m", "team names differ in more than case")
    assert refused.returncode == 1
    assert "-x allow-unique=teams.ix_teams_lower_name" in refused.stderr

    project.succeed("db", "migrate", "-m", "team names differ in more than case", *ACCEPT)
    upgrade = head_script(project).split("def downgrade")[0]
    assert "create_index('ix_teams_lower_name'" in upgrade
    assert "[sa.literal_column('lower(name)')], unique=True" in upgrade
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout
    assert not project.add_team("crew")

    # A wider name: SQLite copies the table into a new one, and the index must come along.
    project.edit(TEAMS_MODELS, "mapped_column(String(80))", "mapped_column(String(90))")
    project.succeed("db", "migrate", "-m", "longer team names")
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout
    assert not project.add_team("CREW")

    project.edit(TEAMS_MODELS, INDEX, "\n")
    project.succeed("db", "migrate", "-m", "any case")
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout
    assert project.add_team("crew")

    project.execute("DELETE FROM teams WHERE name = 'crew'")
    project.succeed("db", "downgrade")
    assert not project.add_team("crew"), "the downgrade made the index again, unique"


def test_an_index_on_an_expression_changes_beside_a_change_that_copies_the_table(project):
    project.edit(TEAMS_MODELS, "from sqlalchemy import ", "from sqlalchemy import Index, ")
    with open(project.root / TEAMS_MODELS, "a") as models:
        models.write(INDEX)
    project.edit(TEAMS_MODELS, "mapped_column(String(80))", "mapped_column(String(90))")
    project.succeed("db", "migrate", "-m", "lower names, longer", *ACCEPT)
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout
    assert not project.add_team("crew")

    project.edit(TEAMS_MODELS, "func.lower(Team.name), unique=True",
                 "func.lower(Team.name), Team.slug, unique=True")
    project.edit(TEAMS_MODELS, "mapped_column(String(90))", "mapped_column(String(100))")
    project.succeed("db", "migrate", "-m", "lower names per slug, longer", *ACCEPT)
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout
    assert project.add_team("crew")
    project.execute("DELETE FROM teams WHERE name = 'crew'")
    project.succeed("db", "downgrade")
    assert not project.add_team("crew")
