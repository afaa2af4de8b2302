"""What a failed revision did, told in one message: which revision, where, what stayed applied."""
import re
import traceback
from pathlib import Path

from alembic.util import CommandError
from sqlalchemy import event

# Statements after which MySQL and MariaDB have committed, whatever the transaction said.
IMPLICIT_COMMIT = re.compile(r"^\s*(CREATE|ALTER|DROP|RENAME|TRUNCATE)\b", re.IGNORECASE)
BOOKKEEPING = re.compile(r"^\s*(SELECT|SHOW|DESCRIBE|SAVEPOINT|RELEASE|ROLLBACK)\b|alembic_version",
                         re.IGNORECASE)


class StatementLog:
    """The statements the revision now running has sent, its bookkeeping left out.

    Pass `forget` as Alembic's on_version_apply callback: a finished revision's
    statements are no longer of interest.
    """

    def __init__(self, connection):
        self.statements = []
        event.listen(connection, "before_cursor_execute", self._record)

    def _record(self, connection, cursor, statement, parameters, context, executemany):
        if not BOOKKEEPING.search(statement):
            self.statements.append(" ".join(statement.split()))

    def forget(self, **_):
        self.statements.clear()

    def committed_anyway(self):
        """The statements an implicit commit has made permanent: up to the last DDL."""
        last_ddl = max(
            (i for i, sql in enumerate(self.statements) if IMPLICIT_COMMIT.match(sql)), default=-1
        )
        return self.statements[: last_ddl + 1]


def failed_step(error, script_directory):
    """(revision script, function name, line) of the revision frame where `error` arose."""
    scripts = {Path(rev.path).resolve(): rev for rev in script_directory.walk_revisions()}
    for frame, line in reversed(list(traceback.walk_tb(error.__traceback__))):
        script = scripts.get(Path(frame.f_code.co_filename).resolve())
        if script is not None:
            return script, frame.f_code.co_name, line
    return None


def failure_message(error, script_directory, statement_log, transactional_ddl, current_heads):
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
    if transactional_ddl:
        return f"{summary}. It was rolled back: the database is unchanged, still at {at}."
    applied = statement_log.committed_anyway()
    if not applied:
        return f"{summary}. Nothing of it had been applied: the database is still at {at}."
    listed = "; ".join(f"[{n}] {sql}" for n, sql in enumerate(applied, start=1))
    return (
        f"{summary}. This database commits each DDL statement, so these statements of the "
        f"revision were applied and stay: {listed}. The database is still marked at {at}: "
        "undo them by hand (or make the revision skip them) before upgrading again."
    )


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
