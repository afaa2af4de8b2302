<%
    import re
    # Acknowledged drops (project/schema/authoring/marks.py) lose data no downgrade brings back: say so.
    dropped = sorted(set(re.findall(r"# acknowledged:.*?allow-drop=([\w.]+)", upgrades or "")))
%>\
"""${message}
% if dropped:

Downgrade cannot restore: ${", ".join(dropped)} (dropped by the upgrade, as acknowledged).
% endif

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
