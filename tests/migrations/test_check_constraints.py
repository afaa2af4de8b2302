"""CHECK constraints of the models through `flask db migrate`, `upgrade` and `downgrade`.

Alembic's autogenerate compares none: without the project's comparison a
check added to a model, changed or removed writes no revision, and `flask db
check` calls the database clean. Each backend (TEST_DATABASE_URL) stores the
expression in its own words, which must not read as a change either.
"""
import pytest

from tests.databases import backend_name
from tests.migrations.head_script import head_script

TEAMS_MODELS = "project/blueprints/teams/models.py"
CLEAN = "No new upgrade operations detected"
TABLE_NAME_LINE = '    __tablename__ = "teams"\n'
ACCEPT = ("-x", "allow-check=teams.ck_teams_name_long_enough")


@pytest.fixture
def project(two_teams):
    """The project at head with two teams, both named with four letters."""
    return two_teams


def give_teams_a_check(project, expression, name="name_long_enough", only_on=None):
    check = f"_sa.CheckConstraint({expression!r}, name={name!r})"
    if only_on:
        check += f".ddl_if(dialect={only_on!r})"
    project.edit(TEAMS_MODELS, "import enum\n", "import enum\n\nimport sqlalchemy as _sa\n")
    project.edit(TEAMS_MODELS, TABLE_NAME_LINE,
                 f"{TABLE_NAME_LINE}    __table_args__ = ({check},)\n")


def upgrade_with_a_check(project, expression, message):
    """The check added to the models, written (acknowledged) and applied."""
    give_teams_a_check(project, expression)
    project.succeed("db", "migrate", "-m", message, *ACCEPT)
    project.succeed("db", "upgrade")


def test_an_added_check_is_refused_until_accepted_then_enforced_and_undone(project):
    give_teams_a_check(project, "length(name) > 2")
    checked = project.run("db", "check")
    assert checked.returncode == 1 and "ck_teams_name_long_enough" in checked.stderr

    scripts_before = project.scripts()
    refused = project.run("db", "migrate", "-m", "team names of three letters")
    assert refused.returncode == 1 and project.scripts() == scripts_before
    assert "adds check ck_teams_name_long_enough (length(name) > 2) to teams" in refused.stderr
    assert "-x allow-check=teams.ck_teams_name_long_enough" in refused.stderr

    project.succeed("db", "migrate", "-m", "team names of three letters", *ACCEPT)
    assert "create_check_constraint(batch_op.f('ck_teams_name_long_enough'), " \
        "'length(name) > 2')  # acknowledged: allow-check" in head_script(project)
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout
    assert not project.add_team("Al")
    assert project.add_team("Ann")

    project.succeed("db", "downgrade")
    assert project.add_team("Al")


def test_a_changed_expression_is_written_again_and_a_removed_check_dropped(project):
    upgrade_with_a_check(project, "length(name) > 2", "three letters")

    project.edit(TEAMS_MODELS, "length(name) > 2", "length(name) > 3")
    assert project.run("db", "check").returncode == 1
    project.succeed("db", "migrate", "-m", "four letters", *ACCEPT)
    upgrade, downgrade = head_script(project).split("def downgrade")
    assert upgrade.index("drop_constraint") < upgrade.index("'length(name) > 3'")
    # As the revision that made it wrote it, not in this database's words: every backend
    # of the history runs it.
    assert "create_check_constraint(batch_op.f('ck_teams_name_long_enough'), " \
        "'length(name) > 2')" in downgrade
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout
    assert not project.add_team("Ann")

    project.edit(TEAMS_MODELS, "    __table_args__ = (", "    _no_table_args = (")
    project.succeed("db", "migrate", "-m", "any name")  # dropping a check loses nothing
    upgrade, downgrade = head_script(project).split("def downgrade")
    assert "drop_constraint(batch_op.f('ck_teams_name_long_enough'), type_='check')" in upgrade
    assert "'length(name) > 3')" in downgrade
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout
    assert project.add_team("Al")

    project.execute("DELETE FROM teams WHERE name = 'Al'")
    project.succeed("db", "downgrade")
    assert not project.add_team("Ann")
    assert CLEAN not in project.run("db", "check").stdout  # the models have no check now


def test_rows_that_break_a_new_check_stop_its_upgrade_and_keep_their_values(project):
    give_teams_a_check(project, "length(name) > 4")
    project.succeed("db", "migrate", "-m", "five letters", *ACCEPT)
    before = project.current()

    refused = project.run("db", "upgrade")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "(five letters) failed in upgrade()" in refused.stderr
    assert project.current() == before
    assert project.query("SELECT name FROM teams ORDER BY id") == [("Crew",), ("Band",)]


def test_an_expression_the_database_refuses_stops_migrate_with_its_error(project):
    give_teams_a_check(project, "no_such_column > 0", name="broken")
    scripts_before = project.scripts()
    refused = project.run("db", "migrate", "-m", "broken",
                          "-x", "allow-check=teams.ck_teams_broken")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "The database refuses a check constraint of teams (ck_teams_broken)" in refused.stderr
    assert "no_such_column" in refused.stderr
    assert project.scripts() == scripts_before


def test_a_check_the_models_make_on_some_databases_is_written_for_those_alone(project):
    give_teams_a_check(project, "length(name) > 2", only_on=("postgresql", "sqlite"))
    checked = project.run("db", "check")
    if backend_name() not in ("postgresql", "sqlite"):
        assert checked.returncode == 0 and CLEAN in checked.stdout
        return
    assert checked.returncode == 1
    project.succeed("db", "migrate", "-m", "three letters", *ACCEPT)
    upgrade, downgrade = head_script(project).split("def downgrade")
    condition = "if op.get_context().dialect.name in ('postgresql', 'sqlite'):"
    assert condition in upgrade and condition in downgrade
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout
    assert not project.add_team("Al")

    # Changed: dropped and made again on those databases alone, beside a new column.
    project.edit(TEAMS_MODELS, "length(name) > 2", "length(name) > 3")
    project.edit(TEAMS_MODELS, "unique=True)\n",
                 "unique=True)\n    motto: Mapped[str | None] = mapped_column(String(40))\n")
    project.succeed("db", "migrate", "-m", "four letters", *ACCEPT)
    upgrade, downgrade = head_script(project).split("def downgrade")
    assert upgrade.count(condition) == 2 and downgrade.count(condition) == 2
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout
    assert not project.add_team("Ann")
    project.succeed("db", "downgrade")
    project.succeed("db", "downgrade")
    assert project.add_team("Al")


def test_a_check_listing_values_is_the_models_own_and_goes_when_they_drop_it(project):
    # SQLite keeps an Enum's values as `column IN (...)`: this one is no enum's.
    upgrade_with_a_check(project, "name IN ('Crew', 'Band', 'Ann')", "known names")
    assert CLEAN in project.succeed("db", "check").stdout
    assert not project.add_team("Al")

    project.edit(TEAMS_MODELS, "    __table_args__ = (", "    _no_table_args = (")
    project.succeed("db", "migrate", "-m", "any name")
    assert "drop_constraint(batch_op.f('ck_teams_name_long_enough'), type_='check')" in \
        head_script(project)
    project.succeed("db", "upgrade")
    assert project.add_team("Al")


def test_a_check_on_a_renamed_column_is_made_again_after_the_rename(project):
    upgrade_with_a_check(project, "length(name) > 2", "three letters")

    project.edit(TEAMS_MODELS, "name: Mapped[str] = mapped_column(String(80))",
                 'name: Mapped[str] = mapped_column("title", String(80))')
    project.edit(TEAMS_MODELS, "length(name) > 2", "length(title) > 2")
    # The check only follows its column: made again, it needs no -x allow-check.
    project.succeed("db", "migrate", "-m", "names are titles", "-x", "rename=teams.name:title")
    upgrade = head_script(project).split("def downgrade")[0]
    assert upgrade.index("new_column_name='title'") < upgrade.index("'length(title) > 2'")
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout
    assert project.query("SELECT title FROM teams ORDER BY id") == [("Crew",), ("Band",)]
    project.succeed("db", "downgrade")
    assert project.query("SELECT name FROM teams ORDER BY id") == [("Crew",), ("Band",)]
