"""create tasks

A task belongs to a team (ON DELETE CASCADE: a deleted team takes its tasks
along) and may have an assignee (ON DELETE SET NULL: a deleted user leaves
the task unassigned). Its status is the PostgreSQL enum type "task_status".
Tasks are always read one team at a time, hence ix_tasks_team_id.

Downgrade cannot restore: tasks (dropped with every row).

Revision ID: 9431dae0c83d
Revises: 21a259fcf248
Create Date: 2026-11-24 19:05:09.260832

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9431dae0c83d'
down_revision = '21a259fcf248'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('details', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('todo', 'doing', 'done', name='task_status', create_constraint=True), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_tasks_assignee_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_tasks_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tasks_team_id'), ['team_id'], unique=False)


def downgrade():
    # The index goes with its table: MariaDB refuses to drop it on its own,
    # since the foreign key on team_id relies on it.
    op.drop_table('tasks')
    # drop_table leaves PostgreSQL's enum type behind; a second upgrade would
    # then fail with "type task_status already exists". A plain statement,
    # so that `flask db downgrade --sql` writes it too.
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TYPE task_status")
