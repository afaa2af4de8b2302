"""rename task details to description

Autogenerate saw a dropped "details" and an added "description", which would
have thrown every task's text away; written by hand as the rename it is.
existing_type and existing_nullable are there for MariaDB, whose
CHANGE COLUMN restates the whole column.

Revision ID: 26f1a4752efc
Revises: 9431dae0c83d
Create Date: 2026-11-24 19:05:16.898883

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '26f1a4752efc'
down_revision = '9431dae0c83d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.alter_column(
            'details', new_column_name='description', existing_type=sa.Text(), existing_nullable=True
        )


def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.alter_column(
            'description', new_column_name='details', existing_type=sa.Text(), existing_nullable=True
        )
