"""Alembic's `compare_server_default`: a default added, changed or removed, on every database.

Each database gives a default back its own way: PostgreSQL as
`'private'::team_visibility` or `now()`, MariaDB as `current_timestamp()`,
SQLite as the text it was given. Both sides are brought to one form first,
so that a default nobody changed is never drift.
"""
import re

# One spelling for the clock, whichever function or keyword the database reports.
CLOCK = {"now()", "current_timestamp", "current_timestamp()", "localtimestamp", "now"}
BOOLEANS = {"true": "1", "false": "0"}
CAST = re.compile(r"::[\w ]+(\[\])?$")
PARENTHESES = re.compile(r"^\((.*)\)$", re.S)


def compare_server_default(context, inspected_column, metadata_column, inspected_default,
                           metadata_default, rendered_metadata_default):
    """True when the models' default differs from the database's, once both are normalised."""
    return normalised(inspected_default) != normalised(rendered_metadata_default)


def normalised(default):
    """The default's value as text, without quotes, casts, parentheses or case of keywords."""
    if default is None:
        return None
    text = default.strip()
    while True:
        stripped = CAST.sub("", PARENTHESES.sub(r"\1", text).strip()).strip()
        if stripped == text:
            break
        text = stripped
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    lowered = text.lower()
    if lowered in CLOCK:
        return "current_timestamp"
    if lowered == "null":
        return None
    return BOOLEANS.get(lowered, lowered)
