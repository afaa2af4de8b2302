"""`flask db squash REV`: one revision in place of the history from base to REV, proven first.

The squashed revision takes REV's id, so a database at REV or past it never
runs it and needs nothing; a new database runs it instead of the originals.
A database still before REV could not find its revision any more: so the
squash is refused while the connected database is there, and the README asks
for every database to pass REV first (the originals stay in git meanwhile).

Before writing anything, the original history and the squashed one each
build a scratch database of the connected kind from empty; their schemas
must be equal, or the squash is refused with the difference.
"""
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from project.schema.viewing.data_steps import data_step_of
from project.schema.viewing.schema_snapshot import schema_snapshot, snapshot_differences
from project.schema.viewing.squashed_script import reflected_schema
from project.schema.viewing.scratch import connected, scratch_database, upgrade_from_empty


@dataclass
class SquashPlan:
    target: object          # REV's Script
    span: list              # the Scripts replaced, oldest first
    data_steps: list        # DataSteps found in the span, oldest first


def plan_squash(script, wanted, connection):
    """What squashing up to `wanted` replaces; CommandError when it cannot be done safely."""
    try:
        target = script.get_revision(wanted)
    except Exception as error:  # Alembic's resolution errors carry a clear message
        raise CommandError(f"no revision {wanted!r} in the history: {error}") from error
    if target is None:
        raise CommandError(f"no revision {wanted!r} in the history")
    span = list(reversed(list(script.iterate_revisions(target.revision, "base"))))
    if len(span) < 2:
        raise CommandError(f"{target.revision} is the first revision: there is nothing to squash")
    refuse_outside_children(script, span, target)
    refuse_database_inside(connection, span, target)
    steps = [step for step in (data_step_of(revision) for revision in span) if step]
    return SquashPlan(target, span, steps)


def refuse_outside_children(script, span, target):
    inside = {revision.revision for revision in span}
    for revision in script.walk_revisions():
        if revision.revision in inside:
            continue
        parents = set(revision._all_down_revisions) | set(revision.dependencies or ())
        stranded = (parents & inside) - {target.revision}
        if stranded:
            raise CommandError(
                f"revision {revision.revision} ({revision.doc}) follows {', '.join(stranded)}, "
                f"inside the squashed span: squash up to a revision every branch has passed"
            )


def refuse_database_inside(connection, span, target):
    before = {revision.revision for revision in span} - {target.revision}
    current = set(MigrationContext.configure(connection).get_current_heads())
    if current & before:
        raise CommandError(
            f"the database is at {', '.join(sorted(current & before))}, before "
            f"{target.revision}: after the squash it could not upgrade. Upgrade every "
            f"database to {target.revision} or later first (flask db upgrade {target.revision})"
        )


def explanation(plan, kept, dropped, backend):
    lines = [
        f"Replaces these {len(plan.span)} revisions, oldest first (squashed by flask db squash):",
        *(f"  {revision.revision}  {(revision.doc or '').strip()}" for revision in plan.span),
        "",
        textwrap.fill(
            f"It keeps the id of {plan.target.revision}: a database at it or past it never runs "
            "this revision; a new database runs it instead of the originals. Proven on a scratch "
            f"{backend} database: the same tables, column types and nullability, keys, indexes, "
            "unique and check constraints as the original history builds.", width=79,
        ),
    ]
    if kept:
        lines += ["", "Data steps carried, run after the tables are created:"]
        lines += [f"  {step.revision}  {step.message}" for step in kept]
    if dropped:
        lines += ["", "Data steps dropped at the squash:"]
        lines += [f"  {step.revision}  {step.message}" for step in dropped]
    return "\n".join(lines)


def squash(script, plan, url, kept_steps, render_source):
    """Prove the squash on scratch databases, then write it and remove the originals.

    `render_source(metadata)` gives the squashed revision's source from the
    schema the original history built. Returns the path written.
    """
    with scratch_database(url) as original_url:
        try:
            upgrade_from_empty(original_url, script, plan.target.revision)
        except Exception as error:
            raise CommandError(
                "squash refused: the original history fails to build a database from empty: "
                f"{first_line(error)}"
            ) from error
        with connected(original_url) as connection:
            source = render_source(reflected_schema(connection))
            original = schema_snapshot(connection)
    with tempfile.TemporaryDirectory(prefix="squashed-history-") as folder:
        versions = Path(folder) / "versions"
        versions.mkdir()
        (versions / "squashed.py").write_text(source)
        with scratch_database(url) as squashed_url:
            try:
                upgrade_from_empty(squashed_url, ScriptDirectory(folder), plan.target.revision)
            except Exception as error:
                raise CommandError(
                    "squash refused: the squashed revision fails to build a database: "
                    f"{first_line(error)}"
                    + (" (a carried data step may no longer fit the schema at "
                       f"{plan.target.revision}: drop it)" if kept_steps else "")
                ) from error
            with connected(squashed_url) as connection:
                squashed = schema_snapshot(connection)
    differences = snapshot_differences(original, squashed)
    if differences:
        raise CommandError(
            "squash refused: the squashed history builds a different schema:\n"
            + "\n".join(f"  {line}" for line in differences)
        )
    return write_squashed(plan, source)


def write_squashed(plan, source):
    first = Path(plan.target.path)
    prefix = first.name.split("-", 1)[0] + "-" if "-" in first.name else ""
    path = first.with_name(f"{prefix}{plan.target.revision}_squashed_history.py")
    for revision in plan.span:
        Path(revision.path).unlink()
    path.write_text(source)
    return path


def first_line(error):
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
