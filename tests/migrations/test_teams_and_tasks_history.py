"""The revisions of the teams and tasks features: what each one does to the data already there."""
import flask_migrate
import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError

from project.extensions import db
from tests.cli import run_cli
from tests.migrations.history import columns, execute, rows, write_ada_and_grace

USERS_BEFORE_TEAMS = "7709c500535a"
CREATE_TEAMS = "7b0f02c7f5ac"
ADD_TEAM_SLUG = "21a259fcf248"
CREATE_TASKS = "9431dae0c83d"
RENAME_TASK_DETAILS = "26f1a4752efc"
ASSIGNEES_ARE_MEMBERS = "ced8acdf5ccb"


def test_the_feature_revisions_follow_each_other_in_the_history(revisions):
    start = revisions.index(CREATE_TEAMS)
    assert revisions[start - 1:start + 4] == [
        USERS_BEFORE_TEAMS, CREATE_TEAMS, ADD_TEAM_SLUG, CREATE_TASKS, RENAME_TASK_DETAILS,
    ]
    # Other blueprints' revisions may come between; the memberships key comes later.
    assert revisions.index(ASSIGNEES_ARE_MEMBERS) > revisions.index(RENAME_TASK_DETAILS)


def test_slugs_are_made_from_the_names_of_existing_teams(empty_app):
    flask_migrate.upgrade(revision=CREATE_TEAMS)
    execute("INSERT INTO teams (id, name) VALUES (1, 'Blue Team'), (2, 'blue team!'), "
            "(3, 'Équipe Rouge'), (4, '***')")
    execute("INSERT INTO users (id, name, email, session_token) "
            "VALUES (1, 'Ada', 'ada@example.com', 'token-1')")
    execute("INSERT INTO memberships (team_id, user_id, role) VALUES (2, 1, 'owner')")

    flask_migrate.upgrade(revision=ADD_TEAM_SLUG)
    # SQLite rebuilds teams to add the column: the memberships pointing at it must survive.
    assert rows("SELECT team_id, user_id, role FROM memberships") == [(2, 1, "owner")]
    assert rows("SELECT id, name, slug FROM teams ORDER BY id") == [
        (1, "Blue Team", "blue-team"),
        (2, "blue team!", "blue-team-2"),
        (3, "Équipe Rouge", "equipe-rouge"),
        (4, "***", "team"),
    ]
    slug = next(c for c in inspect(db.engine).get_columns("teams") if c["name"] == "slug")
    assert slug["nullable"] is False
    unique_names = {uc["name"] for uc in inspect(db.engine).get_unique_constraints("teams")}
    assert "uq_teams_slug" in unique_names

    flask_migrate.downgrade(revision=CREATE_TEAMS, x_arg=["allow-drop=teams.slug"])
    assert "slug" not in columns("teams")
    assert rows("SELECT team_id, user_id, role FROM memberships") == [(2, 1, "owner")]
    assert rows("SELECT id, name FROM teams ORDER BY id") == [
        (1, "Blue Team"), (2, "blue team!"), (3, "Équipe Rouge"), (4, "***")
    ]


def test_the_slug_revision_runs_on_an_empty_teams_table(empty_app):
    flask_migrate.upgrade(revision=ADD_TEAM_SLUG)
    assert "slug" in columns("teams")


def write_a_task(details):
    execute("INSERT INTO users (id, name, email, session_token) "
            "VALUES (1, 'Ada', 'ada@example.com', 'token-1')")
    execute("INSERT INTO teams (id, name, slug) VALUES (1, 'Engines', 'engines')")
    execute("INSERT INTO tasks (id, team_id, title, details, status, assignee_id) "
            "VALUES (1, 1, 'Notes', :details, 'doing', 1)", details=details)


def test_renaming_details_to_description_keeps_the_text_both_ways(empty_app):
    flask_migrate.upgrade(revision=CREATE_TASKS)
    text_of_the_task = "Note G: the first program. " * 100
    write_a_task(text_of_the_task)

    flask_migrate.upgrade(revision=RENAME_TASK_DETAILS)
    assert "details" not in columns("tasks")
    assert rows("SELECT description, status FROM tasks") == [(text_of_the_task, "doing")]

    flask_migrate.downgrade(revision=CREATE_TASKS)
    assert "description" not in columns("tasks")
    assert rows("SELECT details, status FROM tasks") == [(text_of_the_task, "doing")]


def test_assignees_who_are_not_members_are_unassigned_then_refused(empty_app):
    flask_migrate.upgrade(revision=RENAME_TASK_DETAILS)
    write_ada_and_grace()
    execute("INSERT INTO teams (id, name, slug) VALUES (1, 'Engines', 'engines')")
    execute("INSERT INTO memberships (team_id, user_id, role) VALUES (1, 1, 'owner')")
    execute("INSERT INTO tasks (id, team_id, title, status, assignee_id) VALUES "
            "(1, 1, 'Ada, a member', 'todo', 1), (2, 1, 'Grace, removed meanwhile', 'todo', 2), "
            "(3, 1, 'Nobody', 'done', NULL)")

    flask_migrate.upgrade(revision=ASSIGNEES_ARE_MEMBERS)
    assert rows("SELECT id, title, assignee_id, assignee_team_id, version FROM tasks "
                "ORDER BY id") == [
        (1, "Ada, a member", 1, 1, 1),
        (2, "Grace, removed meanwhile", None, None, 1),
        (3, "Nobody", None, None, 1),
    ]
    assert rows("SELECT id, version FROM teams") == [(1, 1)]
    with pytest.raises(DBAPIError, match="(?i)foreign key"):
        execute("UPDATE tasks SET assignee_id = 2, assignee_team_id = 1 WHERE id = 2")
    if db.engine.dialect.name != "mysql":  # MariaDB refuses this CHECK (see the revision)
        with pytest.raises(DBAPIError, match="(?i)check|ck_tasks_assignee_in_team"):
            execute("UPDATE tasks SET assignee_id = 1 WHERE id = 2")
    # Removing a member unassigns their tasks, in the database itself.
    execute("DELETE FROM memberships WHERE user_id = 1")
    assert rows("SELECT id, assignee_id FROM tasks WHERE id = 1") == [(1, None)]

    flask_migrate.downgrade(revision=RENAME_TASK_DETAILS,
                            x_arg=["allow-drop=tasks.version", "allow-drop=teams.version"])
    assert "version" not in columns("tasks") | columns("teams")
    assert rows("SELECT id, title FROM tasks ORDER BY id") == [
        (1, "Ada, a member"), (2, "Grace, removed meanwhile"), (3, "Nobody")
    ]
    execute("UPDATE tasks SET assignee_id = 2 WHERE id = 2")


def enum_types():
    """The enum types PostgreSQL holds; other backends have none outside their tables."""
    if db.engine.dialect.name != "postgresql":
        return set()
    return {name for (name,) in rows("SELECT typname FROM pg_type WHERE typtype = 'e'")}


def test_enum_types_go_with_their_tables_so_the_history_replays(empty_app):
    flask_migrate.upgrade()
    if db.engine.dialect.name == "postgresql":
        assert enum_types() == {"membership_role", "task_status"}

    flask_migrate.downgrade(revision=USERS_BEFORE_TEAMS)
    if db.engine.dialect.name == "postgresql":
        assert enum_types() == set()
    assert not {"teams", "memberships", "tasks"} & set(inspect(db.engine).get_table_names())

    flask_migrate.upgrade()
    assert {"teams", "memberships", "tasks"} <= set(inspect(db.engine).get_table_names())


def test_the_status_column_accepts_only_the_known_statuses(empty_app):
    flask_migrate.upgrade()
    execute("INSERT INTO teams (id, name, slug) VALUES (1, 'Engines', 'engines')")
    # PostgreSQL: not a value of the type; MariaDB, in its default strict mode: truncated;
    # SQLite: the CHECK constraint that stands in for a type.
    with pytest.raises(DBAPIError, match="(?i)enum|truncated|CHECK constraint failed"):
        execute("INSERT INTO tasks (id, team_id, title, status) VALUES (1, 1, 'x', 'someday')")


def test_deleting_rows_follows_the_declared_on_delete_rules(empty_app):
    flask_migrate.upgrade()
    write_ada_and_grace()
    execute("INSERT INTO teams (id, name, slug) VALUES (1, 'Engines', 'engines'), "
            "(2, 'Compilers', 'compilers')")
    execute("INSERT INTO memberships (team_id, user_id, role) VALUES "
            "(1, 1, 'owner'), (1, 2, 'member'), (2, 2, 'owner'), (2, 1, 'member')")
    execute("INSERT INTO tasks (id, team_id, title, status, assignee_id, assignee_team_id) "
            "VALUES (1, 1, 'Assigned to Grace', 'todo', 2, 1), "
            "(2, 2, 'In the other team', 'todo', 1, 2)")

    execute("DELETE FROM users WHERE id = 2")  # memberships go, tasks stay unassigned
    assert rows("SELECT team_id, user_id FROM memberships ORDER BY team_id") == [(1, 1), (2, 1)]
    assert rows("SELECT id, assignee_id FROM tasks ORDER BY id") == [(1, None), (2, 1)]

    execute("DELETE FROM teams WHERE id = 1")  # its memberships and tasks go with it
    assert rows("SELECT team_id FROM memberships") == [(2,)]
    assert rows("SELECT id FROM tasks") == [(2,)]


def test_constraints_and_indexes_carry_the_conventions_names(empty_app):
    flask_migrate.upgrade()
    inspector = inspect(db.engine)
    assert {"ix_memberships_user_id"} <= {i["name"] for i in inspector.get_indexes("memberships")}
    assert {"ix_tasks_team_id_status_due_date"} <= {
        i["name"] for i in inspector.get_indexes("tasks")}
    assert {fk["name"] for fk in inspector.get_foreign_keys("tasks")} == {
        "fk_tasks_team_id_teams", "fk_tasks_assignee_id_users",
        "fk_tasks_assignee_team_id_memberships", "fk_tasks_updated_by_id_users",
    }
    assert {fk["name"] for fk in inspector.get_foreign_keys("memberships")} == {
        "fk_memberships_team_id_teams", "fk_memberships_user_id_users"
    }


def test_scripts_written_without_a_database_fill_slugs_and_drop_enum_types():
    """`flask db upgrade --sql` cannot read team names: it fills "team-ID" slugs instead."""
    offline = {"DATABASE_URL": "postgresql://nobody@127.0.0.1:9/nothing"}
    upgrade = run_cli("db", "upgrade", "--sql", env=offline)
    assert upgrade.returncode == 0, upgrade.stderr
    assert "UPDATE teams SET slug=('team-' || CAST(teams.id AS VARCHAR));" in upgrade.stdout
    downgrade = run_cli("db", "downgrade", "--sql", f"head:{USERS_BEFORE_TEAMS}", env=offline)
    assert downgrade.returncode == 0, downgrade.stderr
    assert "DROP TYPE task_status;" in downgrade.stdout
    assert "DROP TYPE membership_role;" in downgrade.stdout
