"""add team slug filled from the name

Every existing team gets a slug made from its name ("Blue Team!" becomes
"blue-team"); where two names make the same slug, the later team (by id)
gets "-2", "-3", ... appended. The column is added nullable, filled, then
made NOT NULL and unique (uq_teams_slug).

A script written without a database (`flask db upgrade --sql`) cannot read
the names, so it fills "team-ID" instead: unique, and as good a slug to the
application as any.

Downgrade cannot restore: teams.slug (dropped with its column; the next upgrade makes the slugs from the names again).

Revision ID: 21a259fcf248
Revises: 7b0f02c7f5ac
Create Date: 2026-11-24 19:04:49.787345

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '21a259fcf248'
down_revision = '7b0f02c7f5ac'
branch_labels = None
depends_on = None


teams = sa.table(
    "teams", sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("slug", sa.String)
)


# A copy, frozen here, of the rule in project/blueprints/teams/slugs.py: the
# application's rule may change later, this revision's result must not.
def slugify(name):
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80] or "team"


def upgrade():
    # The NOT NULL and the unique constraint lock the table while they scan it; it was small.
    # acknowledged: allow-lint=adding-not-nullable-field allow-lint=constraint-missing-not-valid allow-lint=disallowed-unique-constraint
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slug', sa.String(length=100), nullable=True))

    if op.get_context().as_sql:
        op.execute(teams.update().values(slug=sa.literal("team-") + sa.cast(teams.c.id, sa.String)))  # acknowledged: allow-data-loss=teams
    else:
        fill_slugs_from_names(op.get_bind())

    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.alter_column('slug', existing_type=sa.String(length=100), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_teams_slug'), ['slug'])


def fill_slugs_from_names(connection):
    taken = set()
    slugs = []
    for team_id, name in connection.execute(sa.select(teams.c.id, teams.c.name).order_by(teams.c.id)):
        base = slug = slugify(name)
        suffix = 1
        while slug in taken:
            suffix += 1
            slug = f"{base}-{suffix}"
        taken.add(slug)
        slugs.append({"team_id": team_id, "new_slug": slug})
    if slugs:
        connection.execute(
            teams.update().where(teams.c.id == sa.bindparam("team_id")).values(slug=sa.bindparam("new_slug")),
            slugs,
        )


def downgrade():
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_teams_slug'), type_='unique')
        batch_op.drop_column('slug')
