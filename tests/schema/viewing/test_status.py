"""`flask db status` as a deploy script or a person reads it, on the backend under test."""
import json
import os
import re

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from project.schema.applying.lock import migration_lock
from tests.migrations.revisions import add_revision


def history(project):
    return ScriptDirectory(str(project.root / "migrations"))


def test_a_database_one_revision_behind_lists_the_pending_revision_and_exits_1(project):
    head = history(project).get_revision("head")
    project.succeed("db", "upgrade", head.down_revision)

    result = project.run("db", "status")
    assert result.returncode == 1, result.stderr
    assert f"database at: {head.down_revision}" in result.stdout
    assert f"head:       {head.revision}" in result.stdout
    # Whichever blueprint the newest revision touches: the test must not depend on it.
    assert re.search(rf"^  {head.revision}  {re.escape(head.doc)}  \(\w+", result.stdout, re.M)
    assert "migration lock: free" in result.stdout

    status = json.loads(project.run("db", "status", "--json").stdout)
    assert [revision["revision"] for revision in status["pending"]] == [head.revision]
    assert status["ok"] is False

    project.succeed("db", "upgrade")
    at_head = project.run("db", "status")
    assert at_head.returncode == 0
    assert "models: match the head" in at_head.stdout
    assert "pending" not in at_head.stdout


def test_pending_revisions_carry_their_blueprints_and_data_and_destructive_marks(project):
    project.succeed("db", "upgrade", "721d684ded9b")
    add_revision(project.root / "migrations", "0dd5d0ff0001", "drop the task due date", """
        with op.batch_alter_table("tasks") as batch_op:
            batch_op.drop_column("due_date")  # acknowledged: allow-drop=tasks.due_date
    """)

    status = json.loads(project.run("db", "status", "--json").stdout)
    pending = {revision["revision"]: revision for revision in status["pending"]}
    assert list(pending)[0] == "83ff357852d2" and list(pending)[-1] == "0dd5d0ff0001"
    assert pending["83ff357852d2"]["data_step"] and not pending["83ff357852d2"]["destructive"]
    assert pending["0dd5d0ff0001"]["destructive"]
    assert pending["7b0f02c7f5ac"]["blueprints"] == ["teams"]
    text = project.run("db", "status").stdout
    assert "  0dd5d0ff0001  drop the task due date  (tasks)  [DESTRUCTIVE]" in text
    assert "  83ff357852d2  add user email  (auth)  [DATA STEP]" in text


def test_models_that_differ_from_the_head_are_summarized_by_column(project):
    project.succeed("db", "upgrade")
    project.edit(
        "project/blueprints/teams/models.py",
        "    slug: Mapped[str]",
        "    note: Mapped[str | None] = mapped_column(String(200))\n    slug: Mapped[str]",
    )
    result = project.run("db", "status")
    assert result.returncode == 1
    assert "  teams.note: column added in models, no revision yet" in result.stdout
    assert json.loads(project.run("db", "status", "--json").stdout)["model_differences"] == [
        "teams.note: column added in models, no revision yet"
    ]


def test_a_check_and_an_enum_type_renamed_in_the_models_are_differences_too(project):
    project.succeed("db", "upgrade")
    project.edit("project/blueprints/teams/models.py", '    __tablename__ = "teams"\n',
                 '    __tablename__ = "teams"\n    __table_args__ = '
                 '(CheckConstraint("length(name) > 2", name="named"),)\n')
    project.edit("project/blueprints/teams/models.py", "from sqlalchemy import ",
                 "from sqlalchemy import CheckConstraint, ")
    project.edit("project/blueprints/tasks/models.py", 'name="task_status"', 'name="task_state"')
    result = project.run("db", "status")
    assert result.returncode == 1
    assert "teams: constraint ck_teams_named added in models, no revision yet" in result.stdout
    if project.engine().dialect.name != "mysql":  # MariaDB keeps no name for an ENUM
        assert "rename enum type: task_status task_state" in result.stdout


def test_the_holder_of_the_migration_lock_is_named(project):
    project.succeed("db", "upgrade")
    engine = create_engine(project.database_url, poolclass=NullPool)
    try:
        with migration_lock(engine, timeout=5, on_wait=print):
            result = project.run("db", "status")
    finally:
        engine.dispose()
    assert result.returncode == 0, result.stderr
    holder = next(line for line in result.stdout.splitlines() if line.startswith("migration lock"))
    assert holder != "migration lock: free"
    if engine.dialect.name == "sqlite":
        assert f"process {os.getpid()}" in holder


def test_a_partly_applied_revision_is_shown_and_exits_1(project):
    project.succeed("db", "upgrade")
    project.execute(
        "CREATE TABLE alembic_partial_revision "
        "(revision VARCHAR(32), direction VARCHAR(10), applied_statements TEXT)"
    )
    project.execute(
        "INSERT INTO alembic_partial_revision VALUES "
        "('26f1a4752efc', 'upgrade', '1. ALTER TABLE tasks RENAME COLUMN details')"
    )
    result = project.run("db", "status")
    assert result.returncode == 1
    assert (
        "partly applied: 26f1a4752efc (upgrade); "
        "what stayed: 1. ALTER TABLE tasks RENAME COLUMN details"
    ) in result.stdout
    assert "alembic_partial_revision" not in result.stdout.replace("partly applied", "")


def test_an_unreachable_database_is_one_line(project):
    project.database_url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    result = project.run("db", "status")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: cannot use the database")


def imported_modules(project, *args):
    """The modules a command imports, as Python's -X importtime lists them."""
    result = project.run_with(*args, PYTHONPROFILEIMPORTTIME="1")
    return {
        line.split("|")[-1].strip() for line in result.stderr.splitlines()
        if line.startswith("import time:") and "imported package" not in line
    }


def test_status_imports_nothing_that_flask_db_current_does_not(project):
    project.succeed("db", "upgrade")
    current = imported_modules(project, "db", "current")
    status = imported_modules(project, "db", "status")
    assert len(status) > 100
    assert status - current == set()
