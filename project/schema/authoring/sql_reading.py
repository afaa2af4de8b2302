"""What a SQL string in a revision does to data, read with sqlglot (a maintained SQL parser).

A revision's raw SQL is as able to lose data as `drop_column`: `ALTER TABLE
... DROP COLUMN`, `DROP TABLE`, `TRUNCATE`, and a `DELETE` or `UPDATE` without
`WHERE`, which reaches every row. SQL the parser cannot make out is reported
too: nobody has read it, so it needs a person to.
"""
import logging
from contextlib import contextmanager
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from project.schema.authoring.acknowledge import ALLOW_DATA_LOSS, ALLOW_DROP, ALLOW_SQL

# The generic dialect first; revisions may hold SQL written for one backend.
DIALECTS = (None, "postgres", "mysql", "sqlite")
# The statements whose every effect on data is known here: those that can lose rows,
# which are looked into, and those that touch none (settings, comments, statistics).
UNDERSTOOD = (
    exp.Query, exp.Insert, exp.Update, exp.Delete, exp.Create, exp.Drop, exp.Alter,
    exp.TruncateTable, exp.Set, exp.Comment, exp.Pragma, exp.Analyze,
)
# Dropping one of these drops rows with it.
DROPS_ROWS = {"TABLE", "SCHEMA", "DATABASE"}


@dataclass(frozen=True)
class SqlFinding:
    kind: str  # the acknowledgment kind: allow-drop, allow-data-loss or allow-sql
    target: str | None  # None for SQL not read: the caller names where it stands
    what: str


def sql_findings(sql):
    """What `sql` (one or more statements) does that loses data or cannot be read."""
    statements = parse(sql)
    if statements is None:
        return [SqlFinding(ALLOW_SQL, None, f"runs SQL the audit cannot read: {excerpt(sql)}")]
    return [finding for statement in statements for finding in statement_findings(statement)]


def parse(sql):
    """The statements of `sql`, each understood, in the first dialect that reads them all."""
    with sqlglot_quiet():
        for dialect in DIALECTS:
            try:
                statements = [tree for tree in sqlglot.parse(sql, read=dialect) if tree]
            except SqlglotError:
                continue
            if statements and all(understood(statement) for statement in statements):
                return statements
    return None


def understood(statement):
    # sqlglot keeps what it cannot parse as an opaque Command rather than failing.
    return isinstance(statement, UNDERSTOOD) and statement.find(exp.Command) is None


@contextmanager
def sqlglot_quiet():
    """sqlglot logs a warning for each fallback to Command; the finding says it better."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def statement_findings(statement):
    if isinstance(statement, exp.Drop) and (statement.args.get("kind") or "") in DROPS_ROWS:
        kind = statement.args["kind"].lower()
        for dropped in statement.args.get("tables") or []:
            name = dropped.name if kind == "table" else dotted(dropped)
            yield SqlFinding(ALLOW_DROP, name, f"drops {kind} {name}")
    elif isinstance(statement, exp.Alter):
        table = statement.this.name
        for action in statement.args.get("actions") or []:
            if isinstance(action, exp.Drop) and action.args.get("kind") == "COLUMN":
                for column in action.args.get("tables") or []:
                    target = f"{table}.{column.name}"
                    yield SqlFinding(ALLOW_DROP, target, f"drops {target}")
    elif isinstance(statement, exp.TruncateTable):
        for table in statement.expressions:
            yield SqlFinding(ALLOW_DATA_LOSS, table.name, f"empties table {table.name}")
    elif isinstance(statement, (exp.Delete, exp.Update)) and not statement.args.get("where"):
        table = statement.this.name if isinstance(statement.this, exp.Table) else "?"
        verb = "deletes" if isinstance(statement, exp.Delete) else "overwrites"
        yield SqlFinding(ALLOW_DATA_LOSS, table, f"{verb} every row of {table} (no WHERE)")


def dotted(table):
    return ".".join(part.name for part in table.parts)


def excerpt(sql, length=60):
    flat = " ".join(sql.split())
    return flat if len(flat) <= length else flat[:length - 3] + "..."
