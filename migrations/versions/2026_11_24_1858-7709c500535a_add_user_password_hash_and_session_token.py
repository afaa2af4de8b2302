"""add user password hash and session token

Users who predate passwords keep a NULL password_hash: they cannot log in
until one is set, and setting it rotates their session token. Their token is
filled with "unset-ID": unique, and never inside a signed cookie, since no
one could log in as them.

Downgrade cannot restore: users.password_hash, users.session_token (dropped
with their columns).

Revision ID: 7709c500535a
Revises: 83ff357852d2
Create Date: 2026-11-24 18:58:03.523346

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7709c500535a'
down_revision = '83ff357852d2'
branch_labels = None
depends_on = None


users = sa.table("users", sa.column("id", sa.Integer), sa.column("session_token", sa.String))


def upgrade():
    # The NOT NULL and the unique constraint lock the table while they scan it; it was small.
    # acknowledged: allow-lint=adding-not-nullable-field allow-lint=constraint-missing-not-valid allow-lint=disallowed-unique-constraint
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password_hash", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("session_token", sa.String(length=64), nullable=True))

    op.execute(
        users.update()
        .where(users.c.session_token.is_(None))
        .values(session_token=sa.literal("unset-") + sa.cast(users.c.id, sa.String))
    )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("session_token", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_users_session_token"), ["session_token"])


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_session_token"), type_="unique")
        batch_op.drop_column("session_token")
        batch_op.drop_column("password_hash")
