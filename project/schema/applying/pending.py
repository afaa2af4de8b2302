"""What the database lacks of the history: the revisions an upgrade to head would apply.

Read-only and quick, for a readiness probe: it never takes the migration lock,
so a probe answers while a migration runs (and answers "not ready").
"""
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from project.schema.applying.partial import read_partial_revision


def pending_revisions(alembic_config, engine):
    """The ids of the revisions between the database's version and the head(s), oldest first.

    Empty when the database is at head. A database at a revision the history
    does not know reports that revision's id, since nothing can bring it to head.
    """
    script = ScriptDirectory.from_config(alembic_config)
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    known = {revision.revision for revision in script.walk_revisions()}
    unknown = [rev for rev in current if rev not in known]
    if unknown:
        return unknown
    pending = script.iterate_revisions("heads", current or "base")
    return [revision.revision for revision in reversed(list(pending))]


def partly_applied_revision(engine):
    """The id of a revision marked as partly applied (see partial.py), or None."""
    with engine.connect() as connection:
        partial = read_partial_revision(connection)
    return partial.revision if partial else None
