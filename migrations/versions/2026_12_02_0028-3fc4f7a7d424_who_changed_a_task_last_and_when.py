"""who changed a task last, and when

Tasks get `updated_at` (UTC) and `updated_by_id` (a key to users, SET NULL when
the user is deleted), shown on the task's page. Both are NULL for existing
tasks: when and by whom they were last changed was never recorded, and the
time of this upgrade would be a false answer. Nothing else changes; no row is
rewritten.

Downgrade cannot restore: tasks.updated_at, tasks.updated_by_id (the record of who changed each task last, and when).

Revision ID: 3fc4f7a7d424
Revises: ced8acdf5ccb
Create Date: 2026-12-02 00:28:10.790243

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3fc4f7a7d424'
down_revision = 'ced8acdf5ccb'
branch_labels = None
depends_on = None


def upgrade():
    # The new key checks a column that is NULL in every row: its scan under PostgreSQL's
    # SHARE ROW EXCLUSIVE lock reads tasks once and finds nothing to check.
    # acknowledged: allow-lint=adding-foreign-key-constraint allow-lint=constraint-missing-not-valid
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('updated_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_tasks_updated_by_id_users'), 'users', ['updated_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_tasks_updated_by_id_users'), type_='foreignkey')
        batch_op.drop_column('updated_by_id')
        batch_op.drop_column('updated_at')
