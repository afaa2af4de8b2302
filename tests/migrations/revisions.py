"""Revision scripts that tests add to a copy of the history, written as a team would write them."""
import re
import textwrap

from alembic.script import ScriptDirectory

SCRIPT = '''\
"""{message}"""
from alembic import op
import sqlalchemy as sa

revision = {revision!r}
down_revision = {down_revision!r}
branch_labels = None
depends_on = None


def upgrade():
{upgrade}


def downgrade():
{downgrade}
'''


def current_head(migrations_directory):
    return ScriptDirectory(str(migrations_directory)).get_current_head()


def add_revision(migrations_directory, revision, message, upgrade, downgrade="pass",
                 down_revision=None):
    """Write a revision after `down_revision` (default: the current head); return its path.

    `upgrade` and `downgrade` are the bodies of the two functions, in any indentation.
    """
    if down_revision is None:
        down_revision = current_head(migrations_directory)
    slug = re.sub(r"\W+", "_", message).strip("_")
    path = migrations_directory / "versions" / f"{revision}_{slug}.py"
    path.write_text(SCRIPT.format(
        message=message, revision=revision, down_revision=down_revision,
        upgrade=function_body(upgrade), downgrade=function_body(downgrade),
    ))
    return path


def function_body(code):
    return textwrap.indent(textwrap.dedent(code).strip("\n"), "    ")
