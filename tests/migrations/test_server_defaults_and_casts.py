"""Server defaults and casts through `flask db migrate`, `upgrade`, `downgrade`, rows in the tables.

Each database reports a default its own way; `flask db check` must see a
default that changed and nothing else, on each backend (TEST_DATABASE_URL).

A type change that would turn a value into another stops the upgrade, on every
backend: PostgreSQL refuses such a value itself (the cast in `USING`), MariaDB
in strict mode, which the migration sets whatever the server's own setting;
SQLite's CAST never refuses, so every value is compared with its cast before
the table is copied.
"""
from urllib.parse import quote

import pytest

from tests.databases import backend_name
from tests.migrations.head_script import head_script

TEAMS_MODELS = "project/blueprints/teams/models.py"
TASKS_MODELS = "project/blueprints/tasks/models.py"
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
def project(two_teams):
    return two_teams


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


on_postgresql = pytest.mark.skipif(backend_name() != "postgresql",
                                   reason="timestamp and timestamptz are PostgreSQL's")


@on_postgresql
def test_a_datetime_that_keeps_its_time_zone_keeps_its_instant_on_a_server_elsewhere(project):
    # The migration's session reads naive times in Berlin's zone, as on a server set so.
    project.database_url += "?options=" + quote("-c timezone=Europe/Berlin")
    project.execute("INSERT INTO tasks (id, team_id, title, status, updated_at) "
                    "VALUES (1, 1, 'Plan', 'todo', '2026-06-01 12:00:00')")
    project.edit(TASKS_MODELS, "mapped_column(DateTime)", "mapped_column(DateTime(timezone=True))")
    project.succeed("db", "migrate", "-m", "task times keep their zone")
    upgrade, downgrade = head_script(project).split("def downgrade")
    assert "postgresql_using=\"updated_at AT TIME ZONE 'UTC'\"" in upgrade
    assert "postgresql_using=\"updated_at AT TIME ZONE 'UTC'\"" in downgrade

    project.succeed("db", "upgrade")
    in_utc = "SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM tasks"
    assert project.query(in_utc) == [("2026-06-01 12:00",)]
    assert CLEAN in project.succeed("db", "check").stdout
    project.succeed("db", "downgrade")
    assert project.query("SELECT to_char(updated_at, 'YYYY-MM-DD HH24:MI') FROM tasks") == [
        ("2026-06-01 12:00",)]


@on_postgresql
def test_an_id_widened_to_bigint_takes_its_sequence_past_two_billion(project):
    project.edit(TEAMS_MODELS, "import enum\n", "import enum\n\nimport sqlalchemy as _sa\n")
    project.edit(TEAMS_MODELS, '__tablename__ = "teams"\n\n    id: Mapped[int] = mapped_column(',
                 '__tablename__ = "teams"\n\n    id: Mapped[int] = mapped_column(_sa.BigInteger, ')
    project.succeed("db", "migrate", "-m", "team ids are big")
    project.succeed("db", "upgrade")
    sequence_type = ("SELECT format_type(seqtypid, NULL) FROM pg_sequence "
                     "WHERE seqrelid = CAST('teams_id_seq' AS regclass)")
    assert project.query(sequence_type) == [("bigint",)]
    project.execute("SELECT setval('teams_id_seq', 3000000000)")
    project.execute("INSERT INTO teams (name, slug) VALUES ('Big', 'big')")
    assert project.query("SELECT id FROM teams WHERE slug = 'big'") == [(3000000001,)]
    assert CLEAN in project.succeed("db", "check").stdout

    project.execute("DELETE FROM teams WHERE slug = 'big'")
    project.execute("SELECT setval('teams_id_seq', 2)")
    project.succeed("db", "downgrade")
    assert project.query(sequence_type) == [("integer",)]


on_mariadb = pytest.mark.skipif(backend_name() != "mariadb" and backend_name() != "mysql",
                                reason="sql_mode is MariaDB's and MySQL's")


def give_teams_a_level(project, length=10):
    project.edit(TEAMS_MODELS, "unique=True)\n", "unique=True)\n    level: Mapped[str | None] = "
                 f"mapped_column(String({length}))\n")
    project.succeed("db", "migrate", "-m", "teams have a level")
    project.succeed("db", "upgrade")


def levels(project):
    return project.query("SELECT id, level FROM teams ORDER BY id")


def test_text_that_is_no_number_stops_its_change_to_a_number(project):
    give_teams_a_level(project)
    project.execute("UPDATE teams SET level = CASE id WHEN 1 THEN '3' ELSE 'high' END")
    project.edit(TEAMS_MODELS, "level: Mapped[str | None] = mapped_column(String(10))",
                 "level: Mapped[int | None]")
    project.succeed("db", "migrate", "-m", "levels are numbers", "-x", "allow-narrow=teams.level")
    before = project.succeed("db", "current").stdout

    refused = project.run("db", "upgrade")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "(levels are numbers) failed in upgrade()" in refused.stderr
    assert levels(project) == [(1, "3"), (2, "high")]
    assert project.succeed("db", "current").stdout == before
    if backend_name() == "sqlite":
        assert ("1 row(s) of teams.level hold a value that would not stay the same as INTEGER; "
                "change or clear them first") in refused.stderr
        assert "SELECT teams.id, teams.level, CAST(teams.level AS INTEGER) AS would_become " \
            "FROM teams WHERE" in refused.stderr

    # Cleared as the message says: the rest converts.
    project.execute("UPDATE teams SET level = NULL WHERE level = 'high'")
    project.succeed("db", "upgrade")
    assert levels(project) == [(1, 3), (2, None)]


@on_mariadb
def test_a_narrowed_column_cuts_no_value_when_the_server_is_not_strict(project):
    # Every connection of this session starts outside strict mode, as on a server set so.
    project.database_url += "?init_command=" + quote("SET SESSION sql_mode = ''")
    assert project.query("SELECT @@SESSION.sql_mode") == [("",)]
    give_teams_a_level(project, length=20)
    project.execute("UPDATE teams SET level = 'a longer value'")
    project.edit(TEAMS_MODELS, "mapped_column(String(20))", "mapped_column(String(5))")
    project.succeed("db", "migrate", "-m", "short levels", "-x", "allow-narrow=teams.level")

    refused = project.run("db", "upgrade")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "(short levels) failed in upgrade()" in refused.stderr
    assert "Data truncated for column 'level'" in refused.stderr
    assert levels(project) == [(1, "a longer value"), (2, "a longer value")]


LEVEL_ENUM = "mapped_column(Enum('low', 'high', name='team_level', create_constraint=True))"


def enum_types(project):
    """PostgreSQL's enum types and their values (the other databases keep none)."""
    if backend_name() != "postgresql":
        return None
    return dict(project.query(
        "SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_type t "
        "JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname"))


def test_a_text_column_becomes_an_enum_and_back_with_its_values(project):
    give_teams_a_level(project)
    project.execute("UPDATE teams SET level = CASE id WHEN 1 THEN 'low' ELSE 'high' END")
    types_before = enum_types(project)
    project.edit(TEAMS_MODELS, "mapped_column(String(10))", LEVEL_ENUM)
    project.succeed("db", "migrate", "-m", "levels are chosen", "-x", "allow-narrow=teams.level")
    upgrade, downgrade = head_script(project).split("def downgrade")
    if backend_name() != "mariadb":  # MariaDB's reflected ENUM has no name to cast to back
        assert "op.create_enum_type('team_level', ['low', 'high'])" in upgrade
        assert "postgresql_using='level::team_level'" in upgrade
        assert "postgresql_using='level::VARCHAR(10)'" in downgrade
        assert "op.drop_enum_type('team_level', ['low', 'high'])" in downgrade

    project.succeed("db", "upgrade")
    assert levels(project) == [(1, "low"), (2, "high")]
    assert CLEAN in project.succeed("db", "check").stdout
    if types_before is not None:
        assert enum_types(project) == {**types_before, "team_level": ["low", "high"]}

    project.succeed("db", "downgrade")
    assert levels(project) == [(1, "low"), (2, "high")]
    assert enum_types(project) == types_before
    # Free text again: no CHECK of the enum's values stayed behind.
    project.execute("UPDATE teams SET level = 'anything'")


def test_a_value_outside_the_enum_stops_the_change_into_it(project):
    give_teams_a_level(project)
    project.execute("UPDATE teams SET level = CASE id WHEN 1 THEN 'low' ELSE 'middling' END")
    project.edit(TEAMS_MODELS, "mapped_column(String(10))", LEVEL_ENUM)
    project.succeed("db", "migrate", "-m", "levels are chosen", "-x", "allow-narrow=teams.level")
    refused = project.run("db", "upgrade")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "(levels are chosen) failed in upgrade()" in refused.stderr
    assert levels(project) == [(1, "low"), (2, "middling")]


def test_an_enum_column_becomes_text_and_its_type_goes(project):
    project.edit(TEAMS_MODELS, "unique=True)\n",
                 f"unique=True)\n    level: Mapped[str | None] = {LEVEL_ENUM}\n")
    project.succeed("db", "migrate", "-m", "teams have a level")
    project.succeed("db", "upgrade")
    project.execute("UPDATE teams SET level = 'high'")
    types_before = enum_types(project)
    project.edit(TEAMS_MODELS, LEVEL_ENUM, "mapped_column(String(10))")
    project.succeed("db", "migrate", "-m", "levels are free text")
    project.succeed("db", "upgrade")
    assert levels(project) == [(1, "high"), (2, "high")]
    assert CLEAN in project.succeed("db", "check").stdout
    if types_before is not None:
        assert "team_level" not in enum_types(project)
    project.execute("UPDATE teams SET level = 'anything' WHERE id = 2")

    # Back to the enum: the value it does not list stops the downgrade; moved, it runs.
    assert project.run("db", "downgrade").returncode == 1
    project.execute("UPDATE teams SET level = 'low' WHERE id = 2")
    project.succeed("db", "downgrade")
    assert levels(project) == [(1, "high"), (2, "low")]
    assert enum_types(project) == types_before


def test_iso_dates_as_text_become_a_date_column_and_back(project):
    give_teams_a_level(project)
    project.execute("UPDATE teams SET level = CASE id WHEN 1 THEN '2026-03-01' ELSE NULL END")
    project.edit(TEAMS_MODELS, "level: Mapped[str | None] = mapped_column(String(10))",
                 "level: Mapped[_datetime.date | None]")
    project.edit(TEAMS_MODELS, "import enum\n", "import enum\n" + DEFAULTED_IMPORTS)
    project.succeed("db", "migrate", "-m", "levels are dates", "-x", "allow-narrow=teams.level")

    project.execute("UPDATE teams SET level = 'soon' WHERE id = 2")
    refused = project.run("db", "upgrade")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert levels(project) == [(1, "2026-03-01"), (2, "soon")]
    if backend_name() == "sqlite":
        assert "1 row(s) of teams.level hold a value that would not stay the same as DATE" \
            in refused.stderr

    project.execute("UPDATE teams SET level = NULL WHERE id = 2")
    project.succeed("db", "upgrade")
    # A date object from PostgreSQL and MariaDB; SQLite's own text for it.
    assert [(id_, str(level) if level else None) for id_, level in levels(project)] == [
        (1, "2026-03-01"), (2, None)]
    assert CLEAN in project.succeed("db", "check").stdout
    project.succeed("db", "downgrade")
    assert levels(project) == [(1, "2026-03-01"), (2, None)]
