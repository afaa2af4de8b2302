"""`flask db status`: where a database stands against the history and the models, on one screen.

Everything here reads: nothing takes the migration lock or waits for it, so
that status answers while a migration runs (and says who runs it).
"""
from alembic.runtime.migration import MigrationContext

from project.schema.viewing.lock_holder import migration_lock_holder
from project.schema.viewing.model_differences import model_differences
from project.schema.viewing.owners import blueprints_touched
from project.schema.viewing.partial_revision import PARTIAL_REVISION_TABLE, partial_revisions
from project.schema.viewing.revision_facts import revision_facts


def database_status(connection, script, metadata, owners):
    """A dict for --json and `render_status`; "ok" only at head, with models that match."""
    current = sorted(MigrationContext.configure(connection).get_current_heads())
    heads = sorted(script.get_heads())
    unknown = [revision for revision in current if not in_history(script, revision)]
    pending = [] if unknown else [
        describe_revision(revision, owners) for revision in pending_revisions(script, current)
    ]
    at_head = not unknown and not pending and bool(heads) == bool(current)
    status = {
        "current": current,
        "heads": heads,
        "unknown": unknown,
        "pending": pending,
        "lock_holder": migration_lock_holder(connection),
        "partial_revisions": partial_revisions(connection),
        # The models are compared with the head, which only a database at head shows.
        "model_differences": model_differences(
            connection, metadata, ignored_tables={PARTIAL_REVISION_TABLE},
        ) if at_head else None,
    }
    status["ok"] = at_head and not status["partial_revisions"] and not status["model_differences"]
    return status


def in_history(script, revision):
    try:
        return script.get_revision(revision) is not None
    except Exception:  # Alembic's ResolutionError, or a CommandError for a bad id
        return False


def pending_revisions(script, current):
    """The revisions an upgrade to the heads would run, in the order it would run them."""
    between = script.iterate_revisions("heads", tuple(current) or "base")
    return list(reversed(list(between)))


def describe_revision(script_revision, owners):
    facts = revision_facts(script_revision)
    return {
        "revision": facts.revision,
        "message": facts.message,
        "blueprints": blueprints_touched(facts.tables, owners),
        "destructive": facts.destructive,
        "data_step": facts.data_step,
    }


def render_status(status):
    """The status as lines of text for a person."""
    lines = [
        f"database at: {', '.join(status['current']) or '(empty: no revision applied)'}",
        f"head{'s' if len(status['heads']) > 1 else ''}:       "
        f"{', '.join(status['heads']) or '(no revisions)'}",
    ]
    for revision in status["unknown"]:
        lines.append(
            f"the database is at {revision}, which the history does not contain "
            "(a branch switched or a file deleted?)"
        )
    if status["pending"]:
        lines.append(f"pending ({len(status['pending'])}), in the order upgrade runs them:")
        lines.extend(pending_line(revision) for revision in status["pending"])
    lines.append(f"migration lock: {status['lock_holder'] or 'free'}")
    for mark in status["partial_revisions"]:
        lines.append(
            f"partly applied: {mark['revision']} ({mark['direction']}); "
            f"what stayed: {mark['stayed'] or '(not recorded)'}"
        )
    differences = status["model_differences"]
    if differences is None:
        lines.append("models: not compared until the database is at head (flask db upgrade)")
    elif differences:
        lines.append("models differ from the head (flask db migrate would write these):")
        lines.extend(f"  {line}" for line in differences)
    else:
        lines.append("models: match the head")
    return lines


def pending_line(revision):
    marks = [
        mark for mark, present in (("DESTRUCTIVE", revision["destructive"]),
                                   ("DATA STEP", revision["data_step"]))
        if present
    ]
    marked = f"  [{', '.join(marks)}]" if marks else ""
    touched = ", ".join(revision["blueprints"]) or "no tables"
    return f"  {revision['revision']}  {revision['message']}  ({touched}){marked}"
