"""What a failed revision did, told in one message: which revision, where, what stayed applied."""
import traceback
from pathlib import Path

from alembic.util import CommandError


def failed_step(error, script_directory):
    """(revision script, function name, line) of the revision frame where `error` arose."""
    scripts = {Path(rev.path).resolve(): rev for rev in script_directory.walk_revisions()}
    for frame, line in reversed(list(traceback.walk_tb(error.__traceback__))):
        script = scripts.get(Path(frame.f_code.co_filename).resolve())
        if script is not None:
            return script, frame.f_code.co_name, line
    return None


def failure_message(error, script_directory, what_stayed, transactional_ddl, current_heads):
    """`what_stayed`: the schema changes of the failed revision that outlived its rollback."""
    step = failed_step(error, script_directory)
    if step is None:
        where = "the migration failed"
    else:
        script, function, line = step
        where = (
            f"revision {script.revision} ({script.doc}) failed in {function}() at line {line} "
            f"of {Path(script.path).name}"
        )
    at = ", ".join(current_heads) or "base (empty)"
    # SQLAlchemy's errors go on with the statement and a link; the first line says it.
    reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
    summary = f"{where}: {type(error).__name__}: {reason}"
    if what_stayed:
        stayed = "; ".join(change.describe() for change in what_stayed)
        return (
            f"{summary}. Part of it was committed and could not be rolled back; what stayed: "
            f"{stayed}. The database is still marked at {at}, and now also as holding "
            "this revision partly applied: `flask db upgrade` and `downgrade` refuse until "
            "`flask db resolve` (see its --help) says how it was settled."
        )
    if transactional_ddl:
        return f"{summary}. It was rolled back: the database is unchanged, still at {at}."
    return f"{summary}. None of its schema changes had been applied: the database is still at {at}."


# Alembic's own words for common situations, and what to do about each.
HINTS = {
    "Target database is not up to date.":
        "run `flask db upgrade` first, then `flask db migrate` again",
    "Relative revision": "there are not that many revisions to step through from where the "
                         "database is; `flask db current` shows where that is",
    "Ambiguous walk": "the history merges branches here: name the revision to go to, "
                      "as in `flask db downgrade REVISION` (`flask db history` lists them)",
}


def with_hint(message):
    """Alembic's message, followed by what to do where we know it."""
    for start, hint in HINTS.items():
        if message.startswith(start):
            return f"{message.rstrip('.')}: {hint}"
    return message


def unknown_database_revision_message(migration_context, script_directory):
    """Explain a database at a revision the history does not have, or return None."""
    for head in migration_context.get_current_heads():
        try:
            script_directory.get_revision(head)
        except CommandError:
            return (
                f"the database is at revision {head}, which migrations/ does not have (a "
                "branch switched, or a revision file deleted?): bring the file back, or, once "
                "the schema is known to match revision REV, run `flask db stamp --purge REV`"
            )
    return None
