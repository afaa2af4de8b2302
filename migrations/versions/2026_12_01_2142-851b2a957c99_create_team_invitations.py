"""create team invitations

An owner invites an address; its owner accepts and becomes a member. The
invitation goes with its team (ON DELETE CASCADE); the inviter's account may
go before it is answered (SET NULL).

Revision ID: 851b2a957c99
Revises: 008c9352cf74
Create Date: 2026-12-01 21:42:57.077633

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '851b2a957c99'
down_revision = '008c9352cf74'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_invitations_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('team_id', 'email', name=op.f('uq_invitations_team_id'))
    )

def downgrade():
    op.drop_table('invitations')