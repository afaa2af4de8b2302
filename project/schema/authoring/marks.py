"""The mark a reviewer sees on every acknowledged operation: a trailing comment on its line.

    batch_op.drop_column('name')  # acknowledged: allow-drop=users.name

Autogenerate writes it for the flags given with `-x`; a hand-written script
carries the same comment, and the script audit reads it back. One format,
defined here, for both.
"""
import re

from alembic.autogenerate import renderers
from alembic.autogenerate.render import render_op
from alembic.operations import ops

MARK_PREFIX = "# acknowledged:"
MARK = re.compile(r"#\s*acknowledged:(?P<flags>.*)$")


def mark(flags):
    return f"{MARK_PREFIX} {' '.join(flags)}"


def flags_in_comment(comment):
    """The flags a comment acknowledges; none if it is not a mark."""
    match = MARK.search(comment)
    return set(match.group("flags").split()) if match else set()


class AcknowledgedOp(ops.MigrateOperation):
    """An operation the user accepted with `-x` (one flag per risk), rendered with the mark."""

    def __init__(self, op, flags):
        self.op = op
        self.flags = flags

    def to_diff_tuple(self):
        return self.op.to_diff_tuple()

    def reverse(self):
        return self.op.reverse()


@renderers.dispatch_for(AcknowledgedOp)
def render_acknowledged(autogen_context, acknowledged):
    """The mark goes on the first line, where the eye finds the operation's name."""
    lines = render_op(autogen_context, acknowledged.op)
    first_line, newline, rest = lines[0].partition("\n")
    lines[0] = f"{first_line}  {mark(acknowledged.flags)}{newline}{rest}"
    return lines
