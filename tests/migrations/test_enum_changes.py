"""Enum values and types through `flask db migrate`, `upgrade` and `downgrade`, rows in the tables.

Run on each backend (TEST_DATABASE_URL): PostgreSQL keeps an enum as a
named type, MariaDB as the column's ENUM(...), SQLite as a CHECK; the same
script must work on all three.
"""
import pytest
from sqlalchemy.exc import DBAPIError

from tests.databases import backend_name
from tests.migrations.head_script import head_script
from tests.migrations.project_copy import project_at_head

TASKS_MODELS = "project/blueprints/tasks/models.py"
TEAMS_MODELS = "project/blueprints/teams/models.py"
CLEAN = "No new upgrade operations detected"


@pytest.fixture
def project(tmp_path, database_at_head):
    """The project at head with a team and two tasks in it."""
    with project_at_head(tmp_path, database_at_head) as project:
        project.execute("INSERT INTO teams (id, name, slug) VALUES (1, 'Crew', 'crew')")
        add_task(project, 1, "todo")
        add_task(project, 2, "doing")
        yield project


def add_task(project, task_id, status):
    project.execute(
        f"INSERT INTO tasks (id, team_id, title, status) VALUES ({task_id}, 1, 't{task_id}', "
        f"'{status}')"
    )


def statuses(project):
    return project.query("SELECT id, status FROM tasks ORDER BY id")


def refuses_status(project, status):
    try:
        add_task(project, 99, status)
    except DBAPIError:
        return True
    project.execute("DELETE FROM tasks WHERE id = 99")
    return False


def test_an_added_value_is_seen_written_applied_and_undone(project):
    done = '    DONE = "done"\n'
    project.edit(TASKS_MODELS, done, done + '    BLOCKED = "blocked"\n')
    project.edit(TASKS_MODELS, '"done": "Done"}', '"done": "Done", "blocked": "Blocked"}')

    checked = project.run("db", "check")
    assert checked.returncode == 1 and "change_enum_values" in checked.stderr

    project.succeed("db", "migrate", "-m", "tasks can be blocked")
    assert (
        "op.change_enum_values('tasks', 'status', 'task_status', "
        "old_values=['todo', 'doing', 'done'], new_values=['todo', 'doing', 'done', 'blocked'])"
    ) in head_script(project).split("def downgrade")[0]
    project.succeed("db", "upgrade")
    assert statuses(project) == [(1, "todo"), (2, "doing")]
    add_task(project, 3, "blocked")
    assert CLEAN in project.succeed("db", "check").stdout

    refused = project.run("db", "downgrade")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert (
        "1 row(s) of tasks.status hold 'blocked', which this revision removes; move them first, "
        "e.g. UPDATE tasks SET status = 'todo' WHERE status IN ('blocked')"
    ) in refused.stderr
    assert statuses(project) == [(1, "todo"), (2, "doing"), (3, "blocked")]

    project.execute("UPDATE tasks SET status = 'done' WHERE status = 'blocked'")
    project.succeed("db", "downgrade")
    assert statuses(project) == [(1, "todo"), (2, "doing"), (3, "done")]
    assert refuses_status(project, "blocked")
    project.succeed("db", "upgrade")
    assert not refuses_status(project, "blocked")


def test_a_removed_value_is_narrowing_and_its_upgrade_waits_for_the_rows_to_move(project):
    scripts_before = project.scripts()
    project.edit(TASKS_MODELS, '    DOING = "doing"\n', "")

    refused = project.run("db", "migrate", "-m", "no more doing")
    assert refused.returncode == 1 and project.scripts() == scripts_before
    assert "removes 'doing' from the values of tasks.status" in refused.stderr
    assert "to accept it as it is: -x allow-narrow=tasks.status" in refused.stderr

    project.succeed("db", "migrate", "-m", "no more doing", "-x", "allow-narrow=tasks.status")
    assert "# acknowledged: allow-narrow=tasks.status" in head_script(project)

    stopped = project.run("db", "upgrade")
    assert stopped.returncode == 1 and "Traceback" not in stopped.stderr
    assert "1 row(s) of tasks.status hold 'doing'" in stopped.stderr
    assert "UPDATE tasks SET status = 'todo' WHERE status IN ('doing')" in stopped.stderr
    assert statuses(project) == [(1, "todo"), (2, "doing")]

    project.execute("UPDATE tasks SET status = 'done' WHERE status = 'doing'")
    project.succeed("db", "upgrade")
    assert statuses(project) == [(1, "todo"), (2, "done")]
    assert refuses_status(project, "doing")
    assert CLEAN in project.succeed("db", "check").stdout

    project.succeed("db", "downgrade")
    assert not refuses_status(project, "doing")
    assert statuses(project) == [(1, "todo"), (2, "done")]


VISIBILITY = '''

class Visibility(enum.Enum):
    PRIVATE = "private"
    PUBLIC = "public"
'''
VISIBILITY_COLUMN = '''
    visibility: Mapped[Visibility] = mapped_column(
        Enum(Visibility, name="team_visibility", create_constraint=True,
             values_callable=lambda all_: [v.value for v in all_]),
        server_default="private",
    )
'''


def enum_types(project):
    if backend_name() != "postgresql":
        return []
    return [row[0] for row in project.query("SELECT typname FROM pg_type WHERE typtype = 'e' "
                                            "ORDER BY typname")]


def test_a_column_of_a_new_enum_type_is_added_and_dropped_with_its_type(project):
    project.edit(TEAMS_MODELS, '    MEMBER = "member"\n', '    MEMBER = "member"\n' + VISIBILITY)
    project.edit(TEAMS_MODELS, "unique=True)\n", "unique=True)\n" + VISIBILITY_COLUMN)
    types_before = enum_types(project)

    project.succeed("db", "migrate", "-m", "teams have a visibility")
    upgrade, downgrade = head_script(project).split("def downgrade")
    assert "op.create_enum_type('team_visibility', ['private', 'public'])" in upgrade
    assert "batch_op.drop_checks_of_column('visibility')" in downgrade
    assert "op.drop_enum_type('team_visibility', ['private', 'public'])" in downgrade
    project.succeed("db", "upgrade")
    assert project.query("SELECT id, visibility FROM teams") == [(1, "private")]
    assert CLEAN in project.succeed("db", "check").stdout

    # The column holds a value: the downgrade asks, as a user would be asked.
    project.succeed("db", "downgrade", "-x", "allow-drop=teams.visibility")
    assert project.query("SELECT id, name FROM teams") == [(1, "Crew")]
    assert statuses(project) == [(1, "todo"), (2, "doing")]
    assert enum_types(project) == types_before
    project.succeed("db", "upgrade")
    assert project.query("SELECT id, visibility FROM teams") == [(1, "private")]


def test_a_removed_blueprint_takes_its_enum_type_along_and_its_downgrade_restores_it(project):
    project.edit("project/blueprints/__init__.py", "    tasks_bp,\n", "")
    project.edit("project/blueprints/__init__.py",
                 "from project.blueprints.tasks import bp as tasks_bp\n", "")
    project.edit("project/models/__init__.py",
                 "from project.blueprints.tasks.models import Task  # noqa: F401\n", "")
    types_before = enum_types(project)

    project.succeed("db", "migrate", "-m", "no more tasks", "-x", "allow-drop=tasks")
    upgrade, downgrade = head_script(project).split("def downgrade")
    # MariaDB keeps no name for an ENUM column: a script written there cannot name the type.
    if backend_name() != "mysql":
        assert "op.drop_enum_type('task_status', ['todo', 'doing', 'done'])" in upgrade
    project.succeed("db", "upgrade")
    assert enum_types(project) == [name for name in types_before if name != "task_status"]
    assert CLEAN in project.succeed("db", "check").stdout

    project.succeed("db", "downgrade")
    assert enum_types(project) == types_before
    add_task(project, 3, "done")
    assert project.query("SELECT id, status FROM tasks") == [(3, "done")]


def give_teams_a_visibility(project):
    """teams.visibility, an Enum column of its own type, migrated and upgraded."""
    project.edit(TEAMS_MODELS, '    MEMBER = "member"\n', '    MEMBER = "member"\n' + VISIBILITY)
    project.edit(TEAMS_MODELS, "unique=True)\n", "unique=True)\n" + VISIBILITY_COLUMN)
    project.succeed("db", "migrate", "-m", "teams have a visibility")
    project.succeed("db", "upgrade")


def takes_visibility(project, column, value):
    """Whether the team's `column` accepts `value`: its enum type, ENUM or CHECK decides."""
    try:
        project.execute(f"UPDATE teams SET {column} = '{value}' WHERE id = 1")
    except DBAPIError:
        return False
    return True


def test_a_dropped_enum_column_comes_back_in_the_downgrade_with_its_values_enforced(project):
    give_teams_a_visibility(project)
    project.edit(TEAMS_MODELS, VISIBILITY_COLUMN, "\n")

    project.succeed("db", "migrate", "-m", "no visibility", "-x", "allow-drop=teams.visibility")
    downgrade = head_script(project).split("def downgrade")[1]
    # SQLite reflects the column as a VARCHAR: re-added as such, it would take any value.
    assert "sa.VARCHAR" not in downgrade
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout

    project.succeed("db", "downgrade")
    assert project.query("SELECT id, visibility FROM teams") == [(1, "private")]
    assert takes_visibility(project, "visibility", "public")
    assert not takes_visibility(project, "visibility", "secret")
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout


def test_a_renamed_enum_column_keeps_its_type_and_its_values_enforced_both_ways(project):
    give_teams_a_visibility(project)
    project.execute("UPDATE teams SET visibility = 'public'")
    types_before = enum_types(project)
    project.edit(TEAMS_MODELS, "    visibility: Mapped", "    shown_to: Mapped")

    project.succeed("db", "migrate", "-m", "visibility is shown_to",
                    "-x", "rename=teams.visibility:shown_to")
    script = head_script(project)
    # The type is the column's own: the rename neither makes it nor, going down, drops it.
    assert "enum_type" not in script
    project.succeed("db", "upgrade")
    assert project.query("SELECT id, shown_to FROM teams") == [(1, "public")]
    assert not takes_visibility(project, "shown_to", "secret")
    assert enum_types(project) == types_before
    assert CLEAN in project.succeed("db", "check").stdout

    project.succeed("db", "downgrade")
    assert project.query("SELECT id, visibility FROM teams") == [(1, "public")]
    assert not takes_visibility(project, "visibility", "secret")
    assert enum_types(project) == types_before
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout


def test_a_renamed_enum_type_is_renamed_and_later_revisions_find_it(project):
    start = project.current()
    project.edit(TASKS_MODELS, 'Enum(Status, name="task_status"', 'Enum(Status, name="task_state"')
    checked = project.run("db", "check")
    if backend_name() in ("mariadb", "mysql"):
        # MariaDB keeps no name for an ENUM: there is nothing to rename.
        assert checked.returncode == 0 and CLEAN in checked.stdout
    else:
        assert checked.returncode == 1 and "rename_enum_type" in checked.stderr
        project.succeed("db", "migrate", "-m", "the type is task_state")
        assert ("op.rename_enum_type('task_status', 'task_state', columns=[('tasks', 'status')])"
                in head_script(project))
        project.succeed("db", "upgrade")
        assert CLEAN in project.succeed("db", "check").stdout
        assert refuses_status(project, "someday")

    # The next revision names the type by its new name, and finds it.
    done = '    DONE = "done"\n'
    project.edit(TASKS_MODELS, done, done + '    BLOCKED = "blocked"\n')
    project.edit(TASKS_MODELS, '"done": "Done"}', '"done": "Done", "blocked": "Blocked"}')
    project.succeed("db", "migrate", "-m", "tasks can be blocked")
    project.succeed("db", "upgrade")
    add_task(project, 3, "blocked")
    assert CLEAN in project.succeed("db", "check").stdout

    project.execute("DELETE FROM tasks WHERE id = 3")
    project.succeed("db", "downgrade", start)
    assert statuses(project) == [(1, "todo"), (2, "doing")]
    assert refuses_status(project, "blocked")
    if backend_name() == "postgresql":
        assert "task_status" in enum_types(project) and "task_state" not in enum_types(project)


def test_a_check_of_the_models_own_on_an_enum_column_outlives_a_new_value(project):
    project.edit(TASKS_MODELS, "        ForeignKeyConstraint(",
                 "        CheckConstraint(\"status <> 'done' OR description IS NOT NULL\", "
                 "name=\"done_described\"),\n        ForeignKeyConstraint(")
    project.succeed("db", "migrate", "-m", "done tasks say how",
                    "-x", "allow-check=tasks.ck_tasks_done_described")
    project.succeed("db", "upgrade")

    done = '    DONE = "done"\n'
    project.edit(TASKS_MODELS, done, done + '    BLOCKED = "blocked"\n')
    project.edit(TASKS_MODELS, '"done": "Done"}', '"done": "Done", "blocked": "Blocked"}')
    project.succeed("db", "migrate", "-m", "tasks can be blocked")
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout
    add_task(project, 3, "blocked")
    assert refuses_status(project, "done"), "a done task with no description got in"
    assert refuses_status(project, "someday")


DONE_DESCRIBED = ("        CheckConstraint(\"status <> 'done' OR description IS NOT NULL\", "
                  "name=\"done_described\"),\n        ForeignKeyConstraint(")


def test_a_renamed_enum_type_named_by_a_check_changes_no_check(project):
    project.edit(TASKS_MODELS, "        ForeignKeyConstraint(", DONE_DESCRIBED)
    project.succeed("db", "migrate", "-m", "done tasks say how",
                    "-x", "allow-check=tasks.ck_tasks_done_described")
    project.succeed("db", "upgrade")
    start = project.current()

    # PostgreSQL keeps the check as status <> 'done'::task_status: the type's name is in it.
    project.edit(TASKS_MODELS, 'Enum(Status, name="task_status"', 'Enum(Status, name="task_state"')
    if backend_name() in ("mariadb", "mysql"):
        assert CLEAN in project.succeed("db", "check").stdout
        return
    project.succeed("db", "migrate", "-m", "the type is task_state")
    script = head_script(project)
    assert "rename_enum_type" in script and "check_constraint" not in script
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout
    assert refuses_status(project, "done")
    project.succeed("db", "downgrade", start)
    assert refuses_status(project, "done")


@pytest.mark.skipif(backend_name() != "postgresql", reason="a type's new value is PostgreSQL's")
def test_a_check_naming_a_value_the_same_revision_adds_is_refused_with_the_way_out(project):
    done = '    DONE = "done"\n'
    project.edit(TASKS_MODELS, done, done + '    BLOCKED = "blocked"\n')
    project.edit(TASKS_MODELS, '"done": "Done"}', '"done": "Done", "blocked": "Blocked"}')
    project.edit(TASKS_MODELS, "        ForeignKeyConstraint(",
                 DONE_DESCRIBED.replace("'done'", "'blocked'"))
    refused = project.run("db", "migrate", "-m", "blocked tasks say why",
                          "-x", "allow-check=tasks.ck_tasks_done_described")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "add the value in a revision of its own first" in refused.stderr


PREVIOUS_STATUS = '''    previous_status: Mapped[Status | None] = mapped_column(
        Enum(Status, name="task_status", values_callable=lambda all_: [s.value for s in all_],
             create_constraint=True))
'''
ITS_OWN_CHECK = ("        CheckConstraint(\"previous_status IN ('todo', 'doing', 'done')\", "
                 "name=\"previous_status_values\"),\n        ForeignKeyConstraint(")


def test_a_second_column_of_an_enum_type_in_one_table_is_refused_with_the_way_out(project):
    # SQLite would name both columns' CHECK ck_tasks_task_status and keep one of them.
    anchor = "    # A user who leaves the site leaves their tasks unassigned, not deleted.\n"
    project.edit(TASKS_MODELS, anchor, PREVIOUS_STATUS + anchor)
    scripts_before = project.scripts()
    refused = project.run("db", "migrate", "-m", "tasks remember their previous status")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "tasks.status and tasks.previous_status share the Enum type task_status" in \
        refused.stderr
    assert project.scripts() == scripts_before

    # The way out the message gives: no type-made CHECK for the second, a check of its own.
    project.edit(TASKS_MODELS, "all_],\n             create_constraint=True))\n    # A user",
                 "all_],\n             create_constraint=False))\n    # A user")
    project.edit(TASKS_MODELS, "        ForeignKeyConstraint(", ITS_OWN_CHECK)
    project.succeed("db", "migrate", "-m", "tasks remember their previous status",
                    "-x", "allow-check=tasks.ck_tasks_previous_status_values")
    project.succeed("db", "upgrade")
    assert CLEAN in project.succeed("db", "check").stdout
    assert refuses_status(project, "someday"), "status lost its values"
    with pytest.raises(DBAPIError):
        project.execute("UPDATE tasks SET previous_status = 'someday' WHERE id = 1")
