"""`flask db squash REV` on a copy of the project, on the backend under test.

Each squash is proven by the command itself on scratch databases; these tests
check what a team sees afterwards: the files, the databases that were already
there, a new database built by the squashed history, and the refusals.
"""
import os
import pty

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import NullPool

from tests.databases import throwaway_database
from tests.migrations.revisions import add_revision
from tests.migrations.project_copy import Project

SQUASHED = "21a259fcf248"  # the team slug revision: four before it, three data steps among them
REPLACED = ["721d684ded9b", "83ff357852d2", "7709c500535a", "7b0f02c7f5ac", SQUASHED]


def revisions_in(project):
    return {revision.revision: revision for revision in
            ScriptDirectory(str(project.root / "migrations")).walk_revisions()}


def squashed_script(project):
    return next(project.versions.glob(f"*{SQUASHED}_squashed_history.py")).read_text()


def tables_and_columns(url):
    engine = create_engine(url, poolclass=NullPool)
    try:
        inspector = inspect(engine)
        return {
            table: sorted(
                (column["name"], column["nullable"]) for column in inspector.get_columns(table)
            )
            for table in inspector.get_table_names()
        }
    finally:
        engine.dispose()


def test_the_squash_is_proven_and_old_and_new_databases_reach_the_same_head(project, tmp_path):
    project.succeed("db", "upgrade")
    scripts_before = project.scripts()

    result = project.succeed("db", "squash", SQUASHED)
    assert f"proven on a scratch {inspect_backend(project)} database: the same schema" \
        in result.stdout
    assert "replacing 5 revisions" in result.stdout
    history = revisions_in(project)
    assert not set(REPLACED[:-1]) & set(history)
    assert history[SQUASHED].down_revision is None
    assert len(project.scripts()) == len(scripts_before) - 4
    docstring = squashed_script(project)
    for revision in REPLACED:
        assert f"  {revision}  " in docstring
    assert "Data steps carried, run after the tables are created:\n  83ff357852d2  add user email" \
        in docstring

    # The database that was at head needs nothing.
    assert project.run("db", "status").returncode == 0
    assert "Running upgrade" not in project.succeed("db", "upgrade").stderr

    # A new database is built by the squashed history, to the same schema and no drift.
    with throwaway_database(tmp_path) as new_url:
        new = Project(project.root, new_url)
        new.succeed("db", "upgrade")
        assert new.run("db", "status").returncode == 0
        assert tables_and_columns(new_url) == tables_and_columns(project.database_url)
        new.succeed("db", "downgrade", "base")
        new.succeed("db", "upgrade")


# Builds its index CONCURRENTLY, in autocommit blocks: schema, not a data step.
INDEX_SWAP = "122424559747"


def test_indexes_built_concurrently_are_squashed_as_schema_not_carried_as_data(project, tmp_path):
    result = project.succeed("db", "squash", INDEX_SWAP)
    assert "proven on a scratch" in result.stdout
    docstring = next(project.versions.glob(f"*{INDEX_SWAP}_squashed_history.py")).read_text()
    assert "Data steps carried" in docstring and f"  {INDEX_SWAP}  " in docstring
    assert f"data_step_{INDEX_SWAP}" not in docstring
    with throwaway_database(tmp_path) as new_url:
        new = Project(project.root, new_url)
        new.succeed("db", "upgrade")
        assert "ix_tasks_team_id_status_due_date" in {
            index["name"] for index in inspect_indexes(new_url, "tasks")}


def inspect_indexes(url, table):
    engine = create_engine(url, poolclass=NullPool)
    try:
        return inspect(engine).get_indexes(table)
    finally:
        engine.dispose()


def inspect_backend(project):
    engine = create_engine(project.database_url, poolclass=NullPool)
    try:
        return engine.dialect.name
    finally:
        engine.dispose()


def test_a_database_before_the_revision_refuses_the_squash(project):
    project.succeed("db", "upgrade", "83ff357852d2")
    scripts_before = project.scripts()
    result = project.run("db", "squash", SQUASHED)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        f"Error: the database is at 83ff357852d2, before {SQUASHED}: after the squash it could "
        f"not upgrade. Upgrade every database to {SQUASHED} or later first"
    ) in result.stderr
    assert project.scripts() == scripts_before


def test_a_branch_from_inside_the_span_and_an_unknown_revision_are_refused(project):
    add_revision(project.root / "migrations", "0b5a11c0ffee", "a branch from the teams revision",
                 "pass", down_revision="7b0f02c7f5ac")
    scripts_before = project.scripts()
    branched = project.run("db", "squash", SQUASHED)
    assert branched.returncode == 1
    assert "revision 0b5a11c0ffee (a branch from the teams revision) follows 7b0f02c7f5ac" \
        in branched.stderr
    unknown = project.run("db", "squash", "feedbeef")
    assert unknown.returncode == 1 and "Traceback" not in unknown.stderr
    assert "no revision 'feedbeef' in the history" in unknown.stderr
    assert project.scripts() == scripts_before


def add_notes_history(project):
    """A data step on notes.details, then a rename of that column: the step no longer fits."""
    migrations = project.root / "migrations"
    add_revision(migrations, "0a0e5c0de001", "create notes", """
        op.create_table("notes", sa.Column("id", sa.Integer(), nullable=False),
                        sa.Column("details", sa.Text(), nullable=True),
                        sa.PrimaryKeyConstraint("id", name="pk_notes"))
        op.execute("UPDATE notes SET details = '' WHERE details IS NULL")
    """, 'op.drop_table("notes")')
    add_revision(migrations, "0a0e5c0de002", "rename notes details to body", """
        with op.batch_alter_table("notes") as batch_op:
            batch_op.alter_column("details", new_column_name="body",
                                  existing_type=sa.Text(), existing_nullable=True)
    """, """
        with op.batch_alter_table("notes") as batch_op:
            batch_op.alter_column("body", new_column_name="details",
                                  existing_type=sa.Text(), existing_nullable=True)
    """)


def test_a_data_step_that_no_longer_fits_refuses_until_dropped(project):
    add_notes_history(project)
    scripts_before = project.scripts()
    refused = project.run("db", "squash", "0a0e5c0de002")
    assert refused.returncode == 1
    assert "Error: squash refused: the squashed revision fails to build a database" \
        in refused.stderr
    assert "a carried data step may no longer fit the schema at 0a0e5c0de002" in refused.stderr
    assert project.scripts() == scripts_before

    dropped = project.succeed("db", "squash", "0a0e5c0de002", "--drop-data-steps")
    assert "  dropped data step: 0a0e5c0de001  create notes" in dropped.stdout
    script = next(project.versions.glob("*0a0e5c0de002_squashed_history.py")).read_text()
    assert "Data steps dropped at the squash:\n  83ff357852d2  add user email" in script
    assert "def data_step_" not in script
    project.succeed("db", "upgrade")
    assert "notes" in tables_and_columns(project.database_url)


def test_at_a_terminal_each_data_step_is_asked_and_kept_by_default(project):
    controller, terminal = pty.openpty()
    try:
        os.write(controller, b"n\n\n\n")  # drop the first, keep the others by default
        result = project.run("db", "squash", SQUASHED, terminal=terminal)
    finally:
        os.close(terminal)
        os.close(controller)
    assert result.returncode == 0, result.stderr
    assert "Carry the data step of 83ff357852d2 (add user email) into the squashed revision? " \
        "[Y/n]" in result.stdout
    script = squashed_script(project)
    assert "Data steps dropped at the squash:\n  83ff357852d2  add user email" in script
    assert "  7709c500535a  add user password hash and session token" in script
    assert "def data_step_83ff357852d2" not in script
    assert "def data_step_21a259fcf248" in script and "fill_slugs_from_names(op.get_bind())" \
        in script


# Schema made by raw SQL that SQLAlchemy cannot reflect on each backend: dropped with
# the data steps, the squashed history lacks it, and the proof must see that.
UNREFLECTABLE = {
    "sqlite": ("CREATE INDEX ix_users_lower_email ON users (lower(email))",
               "indexes in sqlite_master of users: only the original history makes "
               "ix_users_lower_email"),
    "postgresql": ("ALTER TABLE users ADD CONSTRAINT ex_users_name EXCLUDE USING btree "
                   "(name WITH =)",
                   "constraints in pg_constraint of users: only the original history makes "
                   "ex_users_name EXCLUDE USING btree (name WITH =)"),
    "mysql": ("ALTER TABLE users MODIFY name VARCHAR(64) NOT NULL CHECK (name <> '')",
              "check constraints in information_schema of users: only the original history "
              "makes name `name` <> ''"),
}


def test_a_squash_that_would_build_a_different_schema_is_refused_with_the_difference(project):
    sql, difference = UNREFLECTABLE[inspect_backend(project)]
    add_revision(project.root / "migrations", "0c0ffee00001", "schema written in SQL",
                 f'op.execute("{sql}")')
    scripts_before = project.scripts()
    refused = project.run("db", "squash", "0c0ffee00001", "--drop-data-steps")
    assert refused.returncode == 1, refused.stdout
    assert "Traceback" not in refused.stderr
    assert "Error: squash refused: the squashed history builds a different schema:\n" \
        in refused.stderr
    assert f"  {difference}" in refused.stderr
    assert project.scripts() == scripts_before
    # Carried, the SQL builds the same schema again.
    project.succeed("db", "squash", "0c0ffee00001")
