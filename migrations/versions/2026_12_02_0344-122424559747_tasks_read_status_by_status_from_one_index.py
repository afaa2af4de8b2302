"""tasks read status by status from one index

The task lists read each status's tasks in due-date order from one index on
(team_id, status, due_date, id) instead of sorting a whole team's tasks for every
page (project/blueprints/tasks/ordering.py). The new index also serves the key
from tasks to teams, so the index on team_id alone goes.

Written by hand from what autogenerate proposed: it dropped and re-created the
key to teams around the index swap (MariaDB refuses to drop the only index a key
uses), which on PostgreSQL would scan tasks under a lock that blocks writes.
Building the new index first, then dropping the old one, needs neither: the key
always has an index. Both are built and dropped without blocking writes on
PostgreSQL (CONCURRENTLY, outside the revision's transaction). No row changes.

Revision ID: 122424559747
Revises: 3fc4f7a7d424
Create Date: 2026-12-02 03:44:35.554490

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '122424559747'
down_revision = '3fc4f7a7d424'
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.create_index('ix_tasks_team_id_status_due_date', 'tasks',
                        ['team_id', 'status', 'due_date', 'id'], unique=False,
                        postgresql_concurrently=True)

    with op.get_context().autocommit_block():
        op.drop_index(op.f('ix_tasks_team_id'), table_name='tasks',
                      postgresql_concurrently=True)


def downgrade():
    with op.get_context().autocommit_block():
        op.create_index(op.f('ix_tasks_team_id'), 'tasks', ['team_id'], unique=False,
                        postgresql_concurrently=True)

    with op.get_context().autocommit_block():
        op.drop_index('ix_tasks_team_id_status_due_date', table_name='tasks',
                      postgresql_concurrently=True)
