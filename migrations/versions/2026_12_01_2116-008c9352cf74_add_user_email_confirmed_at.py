"""add user email confirmed at

When the owner of each account's address followed the link mailed to it.
Accounts from before this revision start unconfirmed (NULL): their owners
can ask for a link from the account page.

Revision ID: 008c9352cf74
Revises: 26f1a4752efc
Create Date: 2026-12-01 21:16:29.422292

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '008c9352cf74'
down_revision = '26f1a4752efc'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_confirmed_at')
