"""create teams and memberships

A team is a name; users belong to it through a membership that carries a
role, stored as the PostgreSQL enum type "membership_role" (an inline ENUM on
MariaDB, a VARCHAR on SQLite). Deleting a team or a user deletes their
memberships (ON DELETE CASCADE).

Downgrade cannot restore: teams, memberships (dropped with every row).

Revision ID: 7b0f02c7f5ac
Revises: 7709c500535a
Create Date: 2026-11-24 19:04:34.948780

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7b0f02c7f5ac'
down_revision = '7709c500535a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams'))
    )
    op.create_table('memberships',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('owner', 'member', name='membership_role', create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_memberships_team_id_teams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'user_id', name=op.f('pk_memberships'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_user_id'), ['user_id'], unique=False)


def downgrade():
    # The index goes with its table: MariaDB refuses to drop it on its own,
    # since the foreign key on user_id relies on it.
    op.drop_table('memberships')
    op.drop_table('teams')
    # drop_table leaves PostgreSQL's enum type behind; a second upgrade would
    # then fail with "type membership_role already exists". A plain statement,
    # so that `flask db downgrade --sql` writes it too.
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TYPE membership_role")
