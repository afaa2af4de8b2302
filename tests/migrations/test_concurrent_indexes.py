"""PostgreSQL: an index on a table with rows is built concurrently; a failed build is cleaned up.

Through the real CLI in a copy of the project: `flask db migrate` writes the
concurrent form, `upgrade` and `downgrade` run it, and an index that a failed
concurrent build left INVALID is dropped before the next try builds it again.
"""
import pytest
import sqlalchemy as sa

from tests.cli import copy_project
from tests.databases import backend_name, throwaway_database
from tests.migrations.project_copy import Project, project_at_head
from tests.migrations.revisions import add_revision

on_postgresql = pytest.mark.skipif(
    backend_name() != "postgresql", reason="CREATE INDEX CONCURRENTLY is PostgreSQL's"
)

INDEX_STATE = (
    "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
    "WHERE c.relname = 'ix_users_name'"
)


@pytest.fixture
def project(tmp_path, database_at_head):
    """The project at head on PostgreSQL, with two users of the same name."""
    with project_at_head(tmp_path, database_at_head) as project:
        project.execute(
            "INSERT INTO users (id, name, email, session_token) VALUES "
            "(1, 'Ada', 'ada@example.org', 't1'), (2, 'Ada', 'ada2@example.org', 't2')"
        )
        yield project


@on_postgresql
def test_an_index_on_a_table_with_rows_is_written_concurrently_and_applies_both_ways(
        project, tmp_path):
    project.edit_user_model(
        "name: Mapped[str] = mapped_column(String(64))",
        "name: Mapped[str] = mapped_column(String(64), index=True)",
    )
    project.succeed("db", "migrate", "-m", "index user names")
    upgrade, downgrade = project.newest_script().split("def downgrade")
    assert (
        "    with op.get_context().autocommit_block():\n"
        "        op.create_index(op.f('ix_users_name'), 'users', ['name'], unique=False, "
        "postgresql_concurrently=True)\n"
    ) in upgrade
    assert (
        "    with op.get_context().autocommit_block():\n"
        "        op.drop_index(op.f('ix_users_name'), table_name='users', "
        "postgresql_concurrently=True)\n"
    ) in downgrade
    assert "batch_alter_table" not in upgrade + downgrade

    head = project.head()
    sql = project.succeed("db", "upgrade", "--sql", f"{head.down_revision}:{head.revision}").stdout
    # Outside the revision's transaction, which CONCURRENTLY requires.
    assert "COMMIT;\n\nCREATE INDEX CONCURRENTLY ix_users_name ON users (name);\n\nBEGIN;" in sql

    project.succeed("db", "upgrade")
    assert project.query(INDEX_STATE) == [(True,)]
    assert "No new upgrade operations detected" in project.succeed("db", "check").stdout
    project.succeed("db", "downgrade")
    assert project.query(INDEX_STATE) == []
    assert project.query("SELECT count(*) FROM users") == [(2,)]

    # The same script, on SQLite: postgresql_concurrently is ignored, the block is harmless.
    on_sqlite = Project(project.root, f"sqlite:///{tmp_path / 'same-script.db'}")
    on_sqlite.succeed("db", "upgrade")
    on_sqlite.succeed("db", "downgrade")


UNIQUE_NAMES = """
    with op.get_context().autocommit_block():
        op.create_index("ix_users_name", "users", ["name"], unique=True,
                        postgresql_concurrently=True)
"""
UNIQUE_NAMES_DOWN = """
    with op.get_context().autocommit_block():
        op.drop_index("ix_users_name", table_name="users", postgresql_concurrently=True)
"""


@on_postgresql
def test_an_invalid_index_left_by_a_failed_build_is_dropped_before_the_retry(project):
    add_revision(project.root / "migrations", "0n1qname", "unique user names",
                 UNIQUE_NAMES, UNIQUE_NAMES_DOWN)

    failed = project.run("db", "upgrade")
    assert failed.returncode == 1
    assert "could not create unique index" in failed.stderr
    assert project.query(INDEX_STATE) == [(False,)]
    # Only the INVALID index stayed, and the next try drops it: nothing to resolve.
    assert "Its concurrent build left index ix_users_name on users INVALID (unused by queries, " \
        "nothing to resolve): the next `flask db upgrade` drops it before building it again." \
        in failed.stderr
    assert "alembic_partial_revision" not in project.table_names()

    project.execute("UPDATE users SET name = 'Ada Lovelace' WHERE id = 2")
    retried = project.succeed("db", "upgrade")
    assert (
        "index ix_users_name on users is INVALID, left by a failed concurrent build; dropping "
        "it before revision 0n1qname (unique user names) builds it again"
    ) in retried.stderr
    assert project.query(INDEX_STATE) == [(True,)]
    project.succeed("db", "downgrade")
    assert project.query(INDEX_STATE) == []


BINS_AND_BOLTS = """
    op.create_table("bins", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_table(
        "bolts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("bin_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["bin_id"], ["bins.id"], name="fk_bolts_bin_id_bins"),
    )
    op.create_index("ix_bolts_bin_id", "bolts", ["bin_id"])
    op.execute("INSERT INTO bins (id) VALUES (1), (2)")
    op.execute("INSERT INTO bolts (id, bin_id) VALUES (1, 1), (2, 2), (3, 2)")
"""
# What `flask db migrate` writes on PostgreSQL when the index leaves the key's column: the
# batch cut in two around the concurrent drop, so the key goes first (MariaDB needs that).
INDEX_OFF_THE_KEY = """
    with op.batch_alter_table("bolts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_bolts_bin_id_bins"), type_="foreignkey")

    with op.get_context().autocommit_block():
        op.drop_index(op.f("ix_bolts_bin_id"), table_name="bolts", postgresql_concurrently=True)

    with op.batch_alter_table("bolts", schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f("fk_bolts_bin_id_bins"), "bins", ["bin_id"], ["id"])
"""
INDEX_BACK_ON_THE_KEY = """
    with op.batch_alter_table("bolts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_bolts_bin_id_bins"), type_="foreignkey")

    with op.get_context().autocommit_block():
        op.create_index(op.f("ix_bolts_bin_id"), "bolts", ["bin_id"], unique=False,
                        postgresql_concurrently=True)

    with op.batch_alter_table("bolts", schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f("fk_bolts_bin_id_bins"), "bins", ["bin_id"], ["id"])
"""


def test_a_script_written_for_postgresql_runs_both_ways_on_every_backend(tmp_path):
    """SQLite and MariaDB ignore postgresql_concurrently; autocommit_block() commits and goes on."""
    with throwaway_database(tmp_path) as url:
        project = Project(copy_project(tmp_path / "copy"), url)
        migrations = project.root / "migrations"
        add_revision(migrations, "b1n5b0175", "bins and bolts", BINS_AND_BOLTS,
                     'op.drop_table("bolts")\nop.drop_table("bins")')
        add_revision(migrations, "0ffthek3y", "no index on the bolts key", INDEX_OFF_THE_KEY,
                     INDEX_BACK_ON_THE_KEY)
        project.succeed("db", "upgrade")
        assert project.query("SELECT id, bin_id FROM bolts ORDER BY id") == [(1, 1), (2, 2), (3, 2)]
        project.succeed("db", "downgrade", "b1n5b0175")
        project.succeed("db", "upgrade")
        project.succeed("db", "downgrade", "b1n5b0175")
        assert project.query("SELECT id, bin_id FROM bolts ORDER BY id") == [(1, 1), (2, 2), (3, 2)]
        engine = project.engine()
        try:
            inspector = sa.inspect(engine)
            assert [key["name"] for key in inspector.get_foreign_keys("bolts")] == \
                ["fk_bolts_bin_id_bins"]
            assert "ix_bolts_bin_id" in [index["name"] for index in inspector.get_indexes("bolts")]
        finally:
            engine.dispose()
