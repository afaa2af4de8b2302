"""Batch mode rebuilds a table by copy and drop; the rows that point at it must survive.

On SQLite, where batch mode copies the table (other backends ALTER it in
place), with foreign keys enforced, dropping the old parent table would fire
ON DELETE CASCADE on every child row. The revisions below build a real
cascading foreign key and then rebuild the parent table.
"""
import shutil

import flask_migrate
import sqlalchemy as sa

from project.extensions import MIGRATIONS_DIRECTORY, db
from tests.migrations.revisions import add_revision

PARENTS_AND_CHILDREN = """
    op.create_table("parents", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("label", sa.String(20)))
    op.create_table(
        "children",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("parent_id", sa.Integer(),
                  sa.ForeignKey("parents.id", name="fk_children_parent_id_parents",
                                ondelete="CASCADE"), nullable=False),
    )
"""

# On SQLite, changing a column's type rebuilds the table: copy, drop, rename.
WIDEN_LABEL = """
    with op.batch_alter_table("parents") as batch_op:
        batch_op.alter_column("label", existing_type=sa.String(20), type_=sa.String(40))
"""
NARROW_LABEL = """
    with op.batch_alter_table("parents") as batch_op:
        batch_op.alter_column("label", existing_type=sa.String(40), type_=sa.String(20))
"""


def test_child_rows_survive_a_batch_rebuild_of_their_parent(empty_app, tmp_path):
    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIRECTORY, directory)
    add_revision(directory, "ba7c0001", "parents and their children, cascading",
                 PARENTS_AND_CHILDREN, 'op.drop_table("children")\nop.drop_table("parents")')
    add_revision(directory, "ba7c0002", "rebuild the parents table", WIDEN_LABEL, NARROW_LABEL)

    flask_migrate.upgrade(directory=str(directory), revision="ba7c0001")
    with db.engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO parents (id, label) VALUES (1, 'p')"))
        connection.execute(sa.text("INSERT INTO children (id, parent_id) VALUES (10, 1), (11, 1)"))

    flask_migrate.upgrade(directory=str(directory), revision="ba7c0002")
    flask_migrate.downgrade(directory=str(directory), revision="ba7c0001")

    with db.engine.begin() as connection:
        assert connection.execute(sa.text("SELECT id FROM children ORDER BY id")).all() == \
            [(10,), (11,)]
        # The cascade is still there, and still enforced, after the rebuilds.
        connection.execute(sa.text("DELETE FROM parents WHERE id = 1"))
        assert connection.execute(sa.text("SELECT count(*) FROM children")).scalar() == 0
