"""The mark of a revision that failed part-way and left part of itself in the database.

MariaDB commits every DDL statement, and PostgreSQL commits what runs inside
`autocommit_block()`: a revision that fails there is neither applied nor
rolled back, while `alembic_version` still names the revision before it. The
next plain `flask db downgrade` would then undo that good revision and keep
the debris. So the failure is written down beside `alembic_version`, in its
own transaction, and upgrades and downgrades refuse until `flask db resolve`
clears it. The table exists only while there is a mark.

`read_partial_revision(connection)` is the public way to learn of a mark.
"""
import json
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

from project.schema.applying.schema_changes import PARTIAL_REVISION_TABLE, SchemaChange

_mark_table = sa.Table(
    PARTIAL_REVISION_TABLE,
    sa.MetaData(),
    sa.Column("revision", sa.String(64), primary_key=True),
    sa.Column("direction", sa.String(16), nullable=False),
    sa.Column("failed_at", sa.DateTime(), nullable=False),
    # A JSON list of SchemaChange fields: what stayed of the revision.
    sa.Column("what_stayed", sa.Text(), nullable=False),
)


@dataclass(frozen=True)
class PartialRevision:
    revision: str
    direction: str  # "upgrade" or "downgrade": what was running when it failed
    failed_at: datetime  # UTC
    what_stayed: tuple  # of SchemaChange

    def describe(self):
        stayed = "; ".join(change.describe() for change in self.what_stayed)
        return (
            f"revision {self.revision} ({self.direction} failed "
            f"{self.failed_at:%Y-%m-%d %H:%M} UTC) left: {stayed}"
        )


def read_partial_revision(connection):
    """The PartialRevision marked on this database, or None."""
    if not sa.inspect(connection).has_table(PARTIAL_REVISION_TABLE):
        return None
    row = connection.execute(sa.select(_mark_table)).first()
    if row is None:
        return None
    return PartialRevision(
        revision=row.revision,
        direction=row.direction,
        failed_at=row.failed_at,
        what_stayed=tuple(SchemaChange(**change) for change in json.loads(row.what_stayed)),
    )


def mark_partial_revision(connection, revision, direction, what_stayed):
    """Write the mark in a transaction of its own: the failed one is gone by now."""
    if connection.in_transaction():
        connection.rollback()
    with connection.begin():
        _mark_table.create(connection, checkfirst=True)
        connection.execute(sa.delete(_mark_table))
        connection.execute(sa.insert(_mark_table).values(
            revision=revision,
            direction=direction,
            failed_at=datetime.now(timezone.utc).replace(tzinfo=None),
            what_stayed=json.dumps([change.as_dict() for change in what_stayed]),
        ))


def clear_partial_revision(connection):
    _mark_table.drop(connection, checkfirst=True)


def leave_out_the_mark(include_name=None):
    """An `include_name` for autogenerate: the mark's table is not the models' business."""

    def include(name, type_, parent_names):
        if type_ == "table" and name == PARTIAL_REVISION_TABLE:
            return False
        return include_name(name, type_, parent_names) if include_name else True

    return include


def still_partly_applied_message(partial):
    return (
        f"the database holds a partly applied revision: {partial.describe()}. "
        "`flask db upgrade` and `downgrade` refuse until it is resolved. Finish the revision "
        "by hand and run `flask db resolve --applied`, or undo it by hand and run "
        "`flask db resolve --rolled-back`; or let `flask db resolve --undo` drop what it "
        "added (see `flask db resolve --help`)"
    )
