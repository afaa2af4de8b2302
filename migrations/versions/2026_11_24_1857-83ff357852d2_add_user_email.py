"""add user email

Users who predate email get a placeholder address under the reserved
.invalid domain (user-ID@example.invalid), unique and undeliverable, until
they set a real one.

Downgrade cannot restore: users.email (the addresses are dropped with the column).

Revision ID: 83ff357852d2
Revises: 721d684ded9b
Create Date: 2026-11-24 18:57:52.822805

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '83ff357852d2'
down_revision = '721d684ded9b'
branch_labels = None
depends_on = None


# A lightweight table: migrations never import the application's models,
# which describe only the head of the history.
users = sa.table("users", sa.column("id", sa.Integer), sa.column("email", sa.String))


def upgrade():
    # The NOT NULL and the unique constraint lock the table while they scan it; it was small.
    # acknowledged: allow-lint=adding-not-nullable-field allow-lint=constraint-missing-not-valid allow-lint=disallowed-unique-constraint
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))

    op.execute(
        users.update()
        .where(users.c.email.is_(None))
        .values(email=sa.literal("user-") + sa.cast(users.c.id, sa.String) + "@example.invalid")
    )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("email", existing_type=sa.String(length=254), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_users_email"), ["email"])


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_email"), type_="unique")
        batch_op.drop_column("email")
