"""The revision that records who changed a task last, and when: on tables with rows, both ways."""
import datetime

import flask_migrate
from sqlalchemy import inspect

from project.extensions import db
from tests.migrations.history import columns, execute, rows, write_ada_and_grace

ASSIGNEES_ARE_MEMBERS = "ced8acdf5ccb"
WHO_CHANGED_A_TASK = "3fc4f7a7d424"


def write_tasks():
    write_ada_and_grace()
    execute("INSERT INTO teams (id, name, slug) VALUES (1, 'Engines', 'engines')")
    execute("INSERT INTO memberships (team_id, user_id, role) VALUES (1, 1, 'owner'), "
            "(1, 2, 'member')")
    execute("INSERT INTO tasks (id, team_id, title, description, status, assignee_id, "
            "assignee_team_id, due_date, version) VALUES "
            "(1, 1, 'Assigned', 'Line one\nline two', 'doing', 1, 1, '2026-12-24', 3), "
            "(2, 1, 'Nobody''s', NULL, 'todo', NULL, NULL, NULL, 1)")


TASKS = ("SELECT id, team_id, title, description, status, assignee_id, assignee_team_id, "
         "due_date, version FROM tasks ORDER BY id")


def test_the_revision_follows_the_assignees_revision(revisions):
    assert revisions.index(WHO_CHANGED_A_TASK) > revisions.index(ASSIGNEES_ARE_MEMBERS)


def test_existing_tasks_keep_everything_and_say_nothing_of_their_last_change(empty_app):
    flask_migrate.upgrade(revision=ASSIGNEES_ARE_MEMBERS)
    write_tasks()
    before = rows(TASKS)

    flask_migrate.upgrade(revision=WHO_CHANGED_A_TASK)
    assert rows(TASKS) == before
    assert rows("SELECT id, updated_at, updated_by_id FROM tasks ORDER BY id") == [
        (1, None, None), (2, None, None)
    ]
    assert {"fk_tasks_updated_by_id_users"} <= {
        key["name"] for key in inspect(db.engine).get_foreign_keys("tasks")
    }

    # A change recorded, then its author leaves the site: the time stays, the author goes.
    execute("UPDATE tasks SET updated_at = :at, updated_by_id = 2 WHERE id = 2",
            at=datetime.datetime(2026, 12, 1, 9, 30))
    execute("DELETE FROM users WHERE id = 2")
    assert rows("SELECT updated_by_id FROM tasks WHERE id = 2") == [(None,)]
    # (SQLite hands the text back; the servers, a datetime.)
    assert str(rows("SELECT updated_at FROM tasks WHERE id = 2")[0][0]).startswith(
        "2026-12-01 09:30:00")

    after_upgrade = rows(TASKS)
    flask_migrate.downgrade(revision=ASSIGNEES_ARE_MEMBERS, x_arg=[
        "allow-drop=tasks.updated_at", "allow-drop=tasks.updated_by_id",
    ])
    assert not {"updated_at", "updated_by_id"} & columns("tasks")
    assert rows(TASKS) == after_upgrade
    # The composite key to the memberships survived SQLite's table rebuild.
    execute("DELETE FROM memberships WHERE user_id = 1")
    assert rows("SELECT assignee_id FROM tasks WHERE id = 1") == [(None,)]

    flask_migrate.upgrade()
    assert {"updated_at", "updated_by_id"} <= columns("tasks")
