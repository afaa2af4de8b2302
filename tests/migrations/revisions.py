"""Revision scripts that tests add to a copy of the history, written as a team would write them."""
import re
import textwrap
from pathlib import Path

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


# Revision code that, when the command runs with HELD_RUNNING and HELD_RELEASE (two paths),
# says it has got there and then waits, a minute at most, until the test lets it go: a test
# of commands run at once starts the others while the first holds the migration lock.
HOLD_UNTIL_RELEASED = """
    import os
    import pathlib
    import time
    if "HELD_RELEASE" in os.environ:
        pathlib.Path(os.environ["HELD_RUNNING"]).touch()
        deadline = time.monotonic() + 60
        while not pathlib.Path(os.environ["HELD_RELEASE"]).exists() \\
                and time.monotonic() < deadline:
            time.sleep(0.05)
"""


def held(directory):
    """The settings that hold a revision with HOLD_UNTIL_RELEASED, and the two files:
    ({name: path}, running, release)."""
    running, release = Path(directory) / "running", Path(directory) / "release"
    return {"HELD_RUNNING": str(running), "HELD_RELEASE": str(release)}, running, release


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
