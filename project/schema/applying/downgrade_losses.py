"""What a downgrade would drop, with the rows it holds, found before anything runs.

`flask db downgrade base` drops every table, and `flask db downgrade` drops the
columns its revision added, with whatever was written to them since. Before a
downgrade runs, each of its revisions' `downgrade()` is called once with
Alembic's `op` bound to a recording `Operations`: every `op.*` and
`batch_op.*` call becomes an operation object (DropTableOp, DropColumnOp,
RenameTableOp, ...) that is kept instead of run. That is the revision's own
intent, structured, and it follows the branches a script takes on the live
connection (`if op.get_context().dialect.name == ...`). Offline ("--sql")
mode was the other way: it renders SQL that would have to be parsed back,
cannot run a data step that reads rows, and needs table definitions for batch
operations on SQLite. Raw SQL (`op.execute("DROP TABLE ...")`) is not read.

A table or column that holds rows is refused unless acknowledged, as at
`flask db migrate`: `-x allow-drop=TABLE` or `-x allow-drop=TABLE.COLUMN`, or
a yes typed at a terminal.
"""
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op as op_module
from alembic.operations import BatchOperations, Operations, ops
from alembic.runtime.migration import RevisionStep
from alembic.util import CommandError

from project.schema.authoring.acknowledge import (
    ALLOW_DROP,
    acknowledgment_flag,
    parse_acknowledgments,
)
from project.schema.authoring.renames import terminal_asker

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Loss:
    target: str  # TABLE or TABLE.COLUMN, as the database names it now
    rows: int  # rows of the table; for a column, rows where it holds a value
    revision: str

    @property
    def flag(self):
        return acknowledgment_flag(ALLOW_DROP, self.target)

    def describe(self):
        rows = f"{self.rows} row" + ("s" if self.rows != 1 else "")
        if "." in self.target:
            held = "holds" if self.rows == 1 else "hold"
            return f"column {self.target} (revision {self.revision}): {rows} {held} a value"
        return f"table {self.target} (revision {self.revision}): {rows}"


def refuse_unacknowledged_losses(migration_context, steps, x_arguments, ask=None):
    """Raise a CommandError if the downgrade `steps` drop rows that were not acknowledged.

    `ask(question)` defaults to asking on a terminal, when there is one.
    """
    revisions = [step.revision for step in steps
                 if isinstance(step, RevisionStep) and step.is_downgrade]
    if not revisions:
        return
    allowed = parse_acknowledgments(x_arguments).allowed
    losses = find_losses(migration_context, revisions)
    unacknowledged = [loss for loss in losses if not acknowledged(loss, allowed)]
    for flag in sorted(allowed - {loss.flag for loss in losses}):
        if flag.startswith(ALLOW_DROP):
            logger.warning("-x %s accepts nothing: this downgrade drops no such data", flag)
    if not unacknowledged:
        return
    listing = "\n".join(f"  - {loss.describe()}" for loss in unacknowledged)
    ask = ask or terminal_asker()
    if ask and ask(f"This downgrade drops data:\n{listing}\nDrop it? [y/N] "):
        return
    destination = migration_context.opts.get("destination_rev") or "-1"
    flags = " ".join(f"-x {loss.flag}" for loss in unacknowledged)
    raise CommandError(
        f"this downgrade would drop data, so nothing was run:\n{listing}\n"
        "Keep a dump first (see 'Before upgrading production' in README.md); then accept the "
        f"loss with: flask db downgrade {destination} {flags} (or answer yes on a terminal)"
    )


def acknowledged(loss, allowed):
    table = loss.target.split(".")[0]
    return loss.flag in allowed or acknowledgment_flag(ALLOW_DROP, table) in allowed


def find_losses(migration_context, revisions):
    """The Losses of running the downgrades of `revisions`, newest first, on this database."""
    connection = migration_context.connection
    inspector = sa.inspect(connection)
    names = NamesNow(inspector)
    losses = []
    # A downgrade's data step may write through op.get_bind(); none of that must stay.
    savepoint = connection.begin_nested()
    try:
        for revision in revisions:
            operations, finished = recorded_downgrade(migration_context, revision)
            for operation in operations:
                losses.extend(names.follow(connection, operation, revision.revision))
            if not finished:
                break
    finally:
        savepoint.rollback()
    lost_tables = {loss.target for loss in losses if "." not in loss.target}
    # A lost table's columns are told once, as the table.
    return [loss for loss in losses if loss.target.split(".")[0] not in lost_tables
            or "." not in loss.target]


def recorded_downgrade(migration_context, revision):
    """(the operations `revision.module.downgrade()` asks for, whether it finished); none run.

    A downgrade that raises (one that cannot be undone says so that way) is
    read up to there: the real run stops there too.
    """
    recorded = []
    recorder = Operations(RecordingContext(migration_context))
    # Every op.* and batch_op.* method ends in `invoke(operation)`: keep it instead.
    recorder.invoke = recorded.append
    recorder.batch_alter_table = batch_recorder(recorder.migration_context, recorded)
    running = op_module._proxy
    # Alembic's own Operations.context() installs `op` this way; ours is swapped in for a moment.
    recorder._install_proxy()
    finished = True
    try:
        revision.module.downgrade()
    except Exception as error:
        finished = False
        logger.debug("reading the downgrade of %s stopped at %r", revision.revision, error)
    finally:
        if running is not None:
            running._install_proxy()
        else:
            recorder._remove_proxy()
    return recorded, finished


class RecordingContext:
    """The migration context as `op.get_context()` shows it while recording.

    Reads pass through (the dialect, the connection); `autocommit_block()` must
    not commit the transaction the recording runs in.
    """

    def __init__(self, migration_context):
        self._migration_context = migration_context

    def __getattr__(self, name):
        return getattr(self._migration_context, name)

    @contextmanager
    def autocommit_block(self):
        yield


def batch_recorder(migration_context, recorded):

    @contextmanager
    def batch_alter_table(table_name, schema=None, **_):
        # Batch operations read only the table's name and schema from their impl.
        batch = BatchOperations(
            migration_context, impl=SimpleNamespace(table_name=table_name, schema=schema)
        )
        batch.invoke = recorded.append
        yield batch

    return batch_alter_table


class NamesNow:
    """Names a downgrade step uses, followed back to the tables and columns there are now.

    Steps run newest first; a table renamed by an earlier step is dropped by a
    later one under its old name, and a table a step creates holds no rows yet.
    """

    def __init__(self, inspector):
        self.inspector = inspector
        self.tables = {}  # name in the downgrade -> name now, or None if the downgrade made it
        self.columns = {}  # (table, column) in the downgrade -> (table, column) now, or None

    def table(self, name):
        return self.tables.get(name, name)

    def column(self, table, name):
        if (table, name) in self.columns:
            return self.columns[(table, name)]
        table_now = self.table(table)
        return (table_now, name) if table_now else None

    def follow(self, connection, operation, revision):
        """Track `operation`'s renames and creations; return the Losses of its drops."""
        losses = []
        if isinstance(operation, ops.DropTableOp):
            table = self.table(operation.table_name)
            if table and self.inspector.has_table(table):
                losses.append(Loss(table, count_rows(connection, table), revision))
            self.tables[operation.table_name] = None
        elif isinstance(operation, ops.DropColumnOp):
            found = self.column(operation.table_name, operation.column_name)
            if found and self._has_column(*found):
                losses.append(Loss(".".join(found), count_rows(connection, *found), revision))
            self.columns[(operation.table_name, operation.column_name)] = None
        elif isinstance(operation, ops.RenameTableOp):
            self.tables[operation.new_table_name] = self.table(operation.table_name)
            self.tables[operation.table_name] = None
        elif isinstance(operation, ops.CreateTableOp):
            self.tables[operation.table_name] = None
        elif isinstance(operation, ops.AlterColumnOp) and operation.modify_name:
            key = (operation.table_name, operation.modify_name)
            self.columns[key] = self.column(operation.table_name, operation.column_name)
            self.columns[(operation.table_name, operation.column_name)] = None
        elif isinstance(operation, ops.AddColumnOp):
            self.columns[(operation.table_name, operation.column.name)] = None
        return [loss for loss in losses if loss.rows]

    def _has_column(self, table, column):
        if not self.inspector.has_table(table):
            return False
        return column in {found["name"] for found in self.inspector.get_columns(table)}


def count_rows(connection, table, column=None):
    query = sa.select(sa.func.count()).select_from(sa.table(table))
    if column:
        query = query.where(sa.column(column).is_not(None))
    return connection.execute(query).scalar()
