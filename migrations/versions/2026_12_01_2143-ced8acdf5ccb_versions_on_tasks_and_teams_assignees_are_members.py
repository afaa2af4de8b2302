"""versions on tasks and teams, assignees are members

Tasks and teams get a `version` column (1 for existing rows), which the
application uses for optimistic concurrency: a save based on a stale read
changes nothing.

A task's assignee must now be a member of the task's team, and the database
keeps it so: a composite foreign key (assignee_team_id, assignee_id) ->
memberships (team_id, user_id), ON DELETE SET NULL, and a CHECK that
assignee_team_id is the task's team_id whenever there is an assignee. (A key
on (team_id, assignee_id) could not be SET NULL: team_id must stay; and on
MariaDB a key without an action refuses deleting a user whose memberships
cascade.) MariaDB refuses a CHECK on columns of a key with an ON DELETE
action: there the application alone keeps assignee_team_id equal to team_id.

Data: a task whose assignee is not a member of its team (a member removed
while the task was being assigned to them) is unassigned; the task stays.
Then assignee_team_id is filled from team_id for every assigned task. Both
steps are plain SQL, so they run in `flask db upgrade --sql` too.

Downgrade cannot restore: tasks.assignee_id (of tasks whose assignee was not a member of their team; the upgrade unassigned them).

Revision ID: ced8acdf5ccb
Revises: 851b2a957c99
Create Date: 2026-12-01 21:16:39.118411

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ced8acdf5ccb'
down_revision = '851b2a957c99'
branch_labels = None
depends_on = None


tasks = sa.table(
    "tasks",
    sa.column("team_id", sa.Integer),
    sa.column("assignee_id", sa.Integer),
    sa.column("assignee_team_id", sa.Integer),
)
memberships = sa.table("memberships", sa.column("team_id", sa.Integer), sa.column("user_id", sa.Integer))


def upgrade():
    # The key and the CHECK scan tasks under a lock once; a task board's tables are small
    # enough for that, and NOT VALID would leave the data step's result unproven.
    # acknowledged: allow-lint=adding-foreign-key-constraint allow-lint=constraint-missing-not-valid
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignee_team_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    assignee_is_a_member = sa.exists().where(
        memberships.c.team_id == tasks.c.team_id, memberships.c.user_id == tasks.c.assignee_id
    )
    op.execute(
        tasks.update()
        .where(tasks.c.assignee_id.is_not(None), ~assignee_is_a_member)
        .values(assignee_id=None)
    )
    op.execute(
        tasks.update().where(tasks.c.assignee_id.is_not(None)).values(assignee_team_id=tasks.c.team_id)
    )

    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f('fk_tasks_assignee_team_id_memberships'), 'memberships',
            ['assignee_team_id', 'assignee_id'], ['team_id', 'user_id'], ondelete='SET NULL',
        )
        if not on_mariadb():
            batch_op.create_check_constraint(
                'assignee_in_team',
                'assignee_id IS NULL OR (assignee_team_id IS NOT NULL AND assignee_team_id = team_id)',
            )


def on_mariadb():
    return op.get_context().dialect.name in ("mysql", "mariadb")


def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        if not on_mariadb():
            batch_op.drop_constraint(batch_op.f('ck_tasks_assignee_in_team'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_tasks_assignee_team_id_memberships'), type_='foreignkey')
        if on_mariadb():
            # The index MariaDB made for the key outlives it, under the key's name.
            batch_op.drop_index('fk_tasks_assignee_team_id_memberships')
        batch_op.drop_column('version')
        batch_op.drop_column('assignee_team_id')

    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('version')
