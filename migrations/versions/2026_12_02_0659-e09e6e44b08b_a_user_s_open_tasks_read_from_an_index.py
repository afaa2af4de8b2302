"""a user's open tasks read from an index

The home page reads a user's open tasks run by run from an index on
(assignee_id, status, due_date, id), as the task lists read a team's
(project/blueprints/tasks/ordering.py), instead of sorting all of them. The
index also finds a user's tasks when the user leaves the site (the key to users,
ON DELETE SET NULL), which PostgreSQL and SQLite did by reading every task.

Built and dropped without blocking writes on PostgreSQL (CONCURRENTLY, outside
the revision's transaction). No row changes.

The downgrade is written by hand. On MariaDB, creating this index silently
dropped the one MariaDB had made for the key to users (an index that can serve a
key replaces it), and MariaDB refuses to drop the only index a key uses.
Autogenerate dropped and re-created the key around the drop, which on
PostgreSQL checks every task under a lock that blocks writes; giving the key its
own index back first, under the name MariaDB had given it, needs neither.

Revision ID: e09e6e44b08b
Revises: 122424559747
Create Date: 2026-12-02 06:59:52.664722

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e09e6e44b08b'
down_revision = '122424559747'
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.create_index('ix_tasks_assignee_id_status_due_date', 'tasks',
                        ['assignee_id', 'status', 'due_date', 'id'], unique=False,
                        postgresql_concurrently=True)


def downgrade():
    if op.get_context().dialect.name == 'mysql':
        op.create_index('fk_tasks_assignee_id_users', 'tasks', ['assignee_id'], unique=False)

    with op.get_context().autocommit_block():
        op.drop_index('ix_tasks_assignee_id_status_due_date', table_name='tasks',
                      postgresql_concurrently=True)
