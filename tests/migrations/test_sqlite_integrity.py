"""SQLite: `flask db upgrade` keeps foreign keys and triggers whole through hand-written revisions.

Each test writes revisions into a copy of the history, as a team would, and
upgrades a database holding teams, tasks and memberships through the CLI.
"""
import pytest

from tests.databases import backend_name
from tests.migrations.project_copy import project_at_head
from tests.migrations.revisions import add_revision, current_head

pytestmark = pytest.mark.skipif(
    backend_name() != "sqlite", reason="SQLite's foreign key pragmas and batch rebuilds"
)

ROWS = """
INSERT INTO users (id, name, email, session_token) VALUES
    (1, 'Ada', 'ada@example.org', 't1'), (2, 'Grace', 'grace@example.org', 't2');
INSERT INTO teams (id, name, slug) VALUES (1, 'One', 'one'), (2, 'Two', 'two');
INSERT INTO memberships (team_id, user_id, role) VALUES (1, 1, 'owner'), (2, 2, 'owner');
INSERT INTO tasks (id, team_id, title, status) VALUES
    (1, 1, 'first', 'todo'), (2, 1, 'second', 'todo'), (3, 2, 'third', 'todo');
"""


@pytest.fixture
def project(tmp_path, database_at_head):
    """The project at head, with two teams, each with a member and tasks."""
    with project_at_head(tmp_path, database_at_head) as project:
        for statement in ROWS.split(";"):
            if statement.strip():
                project.execute(statement)
        yield project


def add(project, revision, upgrade, downgrade="pass"):
    add_revision(project.root / "migrations", revision, f"revision {revision}", upgrade, downgrade)


def version(project):
    return project.query("SELECT version_num FROM alembic_version")[0][0]


def assert_failed_and_rolled_back(result, project, head):
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"It was rolled back: the database is unchanged, still at {head}." in result.stderr
    assert version(project) == head


DELETE_TEAM_ONE = 'op.execute("DELETE FROM teams WHERE id = 1")'
# Changing a column's type makes batch mode rebuild the table on SQLite.
WIDEN_TEAM_NAME = """
    with op.batch_alter_table("teams") as batch_op:
        batch_op.alter_column("name", existing_type=sa.String(80), type_=sa.String(100))
"""


def test_a_delete_in_a_revision_without_batch_cascades_as_the_schema_says(project):
    # Only the function that runs counts: batch mode in downgrade() changes nothing here.
    add(project, "de1e7e01", DELETE_TEAM_ONE, WIDEN_TEAM_NAME)

    project.succeed("db", "upgrade")

    assert project.query("SELECT id FROM teams") == [(2,)]
    assert project.query("SELECT id FROM tasks") == [(3,)]
    assert project.query("SELECT team_id, user_id FROM memberships") == [(2, 2)]


def test_orphans_left_by_a_revision_with_batch_mode_fail_it_and_name_the_rows(project):
    head = current_head(project.root / "migrations")
    # A batch operation turns enforcement off for the whole revision.
    add(project, "de1e7e02", f"""
        with op.batch_alter_table("users") as batch_op:
            batch_op.add_column(sa.Column("nickname", sa.String(20)))
        {DELETE_TEAM_ONE}
    """)

    result = project.run("db", "upgrade")

    assert_failed_and_rolled_back(result, project, head)
    assert "copied the database to " in result.stderr
    assert (
        "the upgrade of revision de1e7e02 (revision de1e7e02) leaves rows pointing at rows "
        "that do not exist: "
    ) in result.stderr
    assert "tasks rowid 1 (team_id=1), rowid 2 (team_id=1) -> no such row in teams" \
        in result.stderr
    assert "memberships rowid 1 (team_id=1) -> no such row in teams" in result.stderr
    assert "tasks rowid 3" not in result.stderr
    assert project.query("SELECT id FROM teams ORDER BY id") == [(1,), (2,)]
    assert project.query("SELECT count(*) FROM tasks") == [(3,)]


def test_orphans_left_by_a_downgrade_fail_it_too(project):
    head = current_head(project.root / "migrations")
    add(project, "de1e7e04", """
        with op.batch_alter_table("users") as batch_op:
            batch_op.add_column(sa.Column("nickname", sa.String(20)))
    """, f"""
        with op.batch_alter_table("users") as batch_op:
            batch_op.drop_column("nickname")
        {DELETE_TEAM_ONE}
    """)
    project.succeed("db", "upgrade")

    result = project.run("db", "downgrade", head)

    assert_failed_and_rolled_back(result, project, "de1e7e04")
    assert "the downgrade of revision de1e7e04 (revision de1e7e04) leaves rows pointing" \
        in result.stderr
    assert project.query("SELECT id FROM teams ORDER BY id") == [(1,), (2,)]


def test_a_rebuild_the_source_does_not_show_is_stopped_before_it_cascades(project):
    head = current_head(project.root / "migrations")
    hidden = WIDEN_TEAM_NAME.replace("op.batch_alter_table(", 'getattr(op, "batch_alter_table")(')
    add(project, "de1e7e06", hidden)

    result = project.run("db", "upgrade")

    assert_failed_and_rolled_back(result, project, head)
    assert "batch mode is rebuilding table teams with foreign keys enforced" in result.stderr
    assert project.query("SELECT count(*) FROM tasks") == [(3,)]


def test_a_revision_that_repairs_what_it_breaks_passes(project):
    add(project, "de1e7e03", f"""
        with op.batch_alter_table("users") as batch_op:
            batch_op.add_column(sa.Column("nickname", sa.String(20)))
        {DELETE_TEAM_ONE}
        op.execute("DELETE FROM tasks WHERE team_id = 1")
        op.execute("DELETE FROM memberships WHERE team_id = 1")
    """)

    project.succeed("db", "upgrade")

    assert project.query("SELECT id FROM tasks") == [(3,)]


AUDIT_TRIGGER_AND_VIEW = '''
    op.execute("CREATE TABLE task_log (task_id INTEGER, title VARCHAR(300))")
    op.execute("""
        CREATE TRIGGER tasks_logged AFTER INSERT ON tasks
        BEGIN INSERT INTO task_log (task_id, title) VALUES (new.id, new.title); END
    """)  # acknowledged: allow-sql=upgrade
    op.execute("CREATE VIEW open_tasks AS SELECT id, title FROM tasks WHERE status != 'done'")
    op.execute("""
        CREATE TRIGGER log_names_a_task AFTER INSERT ON task_log
        BEGIN UPDATE tasks SET description = 'logged' WHERE id = new.task_id; END
    """)  # acknowledged: allow-sql=upgrade
'''
# Changing a column's type makes batch mode rebuild the table on SQLite.
WIDEN_TITLE = """
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.alter_column("title", existing_type=sa.String(200), type_=sa.String(300))
"""
NARROW_TITLE = """
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.alter_column("title", existing_type=sa.String(300), type_=sa.String(200))
"""


def schema_objects(project):
    return project.query(
        "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY name"
    )


def test_a_table_rebuild_keeps_its_triggers_and_the_views_and_triggers_naming_it(project):
    add(project, "76196e01", AUDIT_TRIGGER_AND_VIEW)
    project.succeed("db", "upgrade")
    before = schema_objects(project)
    assert len(before) == 3
    add(project, "76196e02", WIDEN_TITLE, NARROW_TITLE)

    project.succeed("db", "upgrade")
    assert schema_objects(project) == before
    project.execute("INSERT INTO tasks (id, team_id, title, status) VALUES (4, 2, 'new', 'todo')")
    assert project.query("SELECT task_id, title FROM task_log") == [(4, "new")]
    assert project.query("SELECT description FROM tasks WHERE id = 4") == [("logged",)]
    assert project.query("SELECT count(*) FROM open_tasks") == [(4,)]

    project.succeed("db", "downgrade")
    assert schema_objects(project) == before
    assert "VARCHAR(200)" in project.query(
        "SELECT sql FROM sqlite_master WHERE name = 'tasks'")[0][0]


def test_a_rebuild_that_a_trigger_cannot_survive_is_refused_naming_it(project):
    add(project, "76196e03", '''
        with op.batch_alter_table("users") as batch_op:
            batch_op.add_column(sa.Column("nickname", sa.String(20)))
        op.execute("CREATE TABLE nickname_log (nickname VARCHAR(20))")
        op.execute("""
            CREATE TRIGGER users_nickname_logged AFTER INSERT ON users
            BEGIN INSERT INTO nickname_log VALUES (new.nickname); END
        """)  # acknowledged: allow-sql=upgrade
    ''')
    project.succeed("db", "upgrade")
    head = version(project)
    add(project, "76196e04", """
        with op.batch_alter_table("users") as batch_op:
            batch_op.drop_column("nickname")  # acknowledged: allow-drop=users.nickname
    """)

    result = project.run("db", "upgrade")

    assert_failed_and_rolled_back(result, project, head)
    assert "revision 76196e04 (revision 76196e04) failed in upgrade() at line " in result.stderr
    assert "rebuilding table users drops its triggers and the views that name it" \
        in result.stderr
    assert "error in trigger users_nickname_logged: no such column: new.nickname" \
        in result.stderr
    assert ("trigger", "users_nickname_logged") in schema_objects(project)
    assert project.query("SELECT count(nickname) FROM users") == [(0,)]
