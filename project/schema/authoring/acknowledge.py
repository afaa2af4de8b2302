"""The `-x` arguments of `flask db migrate` that accept a risky operation or name a rename.

Alembic's standard `-x` channel keeps the command the one users know:

    flask db migrate -m "drop name" -x allow-drop=users.name
    flask db migrate -m "rename" -x rename=users.name:display_name -x rename=users:accounts
    flask db migrate -m "index titles" -x allow-lint=require-concurrent-index-creation

`-x` may repeat, so the list is parsed here rather than with
`get_x_argument(as_dictionary=True)`, which would keep only the last of each key.
"""
from dataclasses import dataclass, field

from alembic.util import CommandError

# One kind per way of losing or refusing data; each names its `-x` key.
ALLOW_DROP = "allow-drop"
ALLOW_NARROW = "allow-narrow"
ALLOW_NOT_NULL = "allow-not-null"
ALLOW_UNIQUE = "allow-unique"
ALLOW_CHECK = "allow-check"
ALLOW_KINDS = (ALLOW_DROP, ALLOW_NARROW, ALLOW_NOT_NULL, ALLOW_UNIQUE, ALLOW_CHECK)
RENAME = "rename"
# Kinds only a hand-written script needs, in the mark on its line (never given with `-x`):
# SQL that empties or overwrites a whole table, and SQL the script audit cannot read.
ALLOW_DATA_LOSS = "allow-data-loss"
ALLOW_SQL = "allow-sql"
# A finding of squawk, the PostgreSQL migration linter, by its rule's name.
ALLOW_LINT = "allow-lint"


def acknowledgment_flag(kind, target):
    """The `-x` value that accepts one finding, e.g. `allow-drop=users.name`."""
    return f"{kind}={target}"


@dataclass
class Acknowledgments:
    # `allow-...=TARGET` flags, as given
    allowed: set = field(default_factory=set)
    # `rename=TABLE.OLD:NEW` and `rename=OLDTABLE:NEWTABLE` flags, as given
    renames: set = field(default_factory=set)
    # `allow-lint=RULE` flags: the squawk rules accepted in this revision
    lint_rules: set = field(default_factory=set)


def parse_acknowledgments(x_arguments):
    """Read the `-x` list; a key this project does not know is a mistake, never ignored."""
    acknowledgments = Acknowledgments()
    for argument in x_arguments:
        key, separator, value = argument.partition("=")
        if not separator or not value:
            raise CommandError(unknown_argument_message(argument))
        if key in ALLOW_KINDS:
            acknowledgments.allowed.add(acknowledgment_flag(key, value))
        elif key == ALLOW_LINT:
            acknowledgments.lint_rules.add(value)
        elif key == RENAME and is_rename(value):
            acknowledgments.renames.add(argument)
        else:
            raise CommandError(unknown_argument_message(argument))
    return acknowledgments


def is_rename(value):
    old, colon, new = value.partition(":")
    return bool(colon and old and new and not old.endswith("."))


def unknown_argument_message(argument):
    kinds = ", ".join(f"{kind}=TABLE[.COLUMN]" for kind in ALLOW_KINDS)
    return (
        f"-x {argument} is not understood. Expected {kinds}, "
        "rename=TABLE.OLD:NEW (a column), rename=OLDTABLE:NEWTABLE (a table) "
        "or allow-lint=RULE (a finding of squawk on PostgreSQL)."
    )
