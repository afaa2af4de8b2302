"""squawk, a PostgreSQL migration linter, reads the SQL each revision's upgrade sends.

The guards read Alembic's operations; squawk reads the SQL PostgreSQL will
run, and knows which statements take which locks for how long: an index
built without CONCURRENTLY, a NOT NULL set by a full scan under an ACCESS
EXCLUSIVE lock, a foreign key validated while writes wait. On PostgreSQL:

- `flask db migrate` lints the revision it writes. What squawk finds is
  most often what the model change needs (a new foreign key on a table with
  rows), so the script is written all the same, with the mark atop its
  upgrade(), and each finding is printed for the author to read:

      # acknowledged: allow-lint=adding-foreign-key-constraint

  `-x allow-lint=RULE` says it was expected: the finding is then not printed.
- `flask db check` (CI runs it) lints every revision of the history and
  refuses a finding its script does not acknowledge: a hand-written or
  hand-edited script.

What squawk says about a table the same revision creates does not count:
nobody else can be using it yet. A finding that a guard's own flag has
accepted (`-x allow-drop=...` and squawk's ban-drop-column) is not asked
about twice. The SQL is rendered here, without a database, as `flask db
upgrade --sql` renders it. Without squawk installed (`pip install
squawk-cli`) the lint is skipped, and one line says so.
"""
import io
import json
import logging
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import alembic.op
import sqlglot
from alembic.autogenerate import renderers
from alembic.operations import Operations, ops
from alembic.runtime.migration import MigrationContext
from alembic.util import CommandError
from sqlglot import exp
from sqlglot.errors import SqlglotError

from project.schema.authoring.acknowledge import (
    ALLOW_CHECK,
    ALLOW_DROP,
    ALLOW_LINT,
    ALLOW_NARROW,
    ALLOW_NOT_NULL,
    ALLOW_UNIQUE,
    acknowledgment_flag,
    parse_acknowledgments,
)
from project.schema.authoring.marks import AcknowledgedOp, flags_in_comment, mark
from project.schema.authoring.op_tree import leaf_operations
from project.schema.authoring.script_audit import comments_by_line
from project.schema.authoring.sql_reading import sqlglot_quiet

logger = logging.getLogger(__name__)

# Rules left out, and why: each says something this project has decided otherwise.
EXCLUDED_RULES = [
    # Every migration runs with both timeouts (project.schema.applying.timeouts),
    # online and at the top of `flask db upgrade --sql`.
    "require-lock-timeout", "require-statement-timeout",
    # Revisions run in a transaction each and roll back whole; IF NOT EXISTS is not needed.
    "prefer-robust-stmts",
    # Renames are asked about and written deliberately (`-x rename=`).
    "renaming-column", "renaming-table",
    # Column types are the models' choice, the same on all three backends.
    "prefer-bigint-over-int", "prefer-bigint-over-smallint", "prefer-identity",
    "prefer-text-field", "prefer-timestamptz",
]


# The squawk rules that find what a guard of `flask db migrate` has already had accepted.
RULES_A_GUARD_FLAG_ACCEPTS = {
    # A dropped table's enum type goes with it.
    ALLOW_DROP: {"ban-drop-column", "ban-drop-table", "ban-drop-type"},
    # An enum value removed (accepted as narrowing) swaps the type: renamed away, dropped.
    ALLOW_NARROW: {"changing-column-type", "renaming-object", "ban-drop-type"},
    ALLOW_NOT_NULL: {"adding-not-nullable-field", "adding-required-field"},
    ALLOW_UNIQUE: {"constraint-missing-not-valid", "disallowed-unique-constraint"},
    # A check reads every row under the table's lock, which is what the flag accepts.
    ALLOW_CHECK: {"constraint-missing-not-valid"},
}


@dataclass(frozen=True)
class LintFinding:
    revision: str
    line: int
    rule: str
    statement: str
    message: str
    help: str

    @property
    def flag(self):
        return acknowledgment_flag(ALLOW_LINT, self.rule)


@Operations.implementation_for(AcknowledgedOp)
def run_acknowledged(operations, acknowledged):
    operations.invoke(acknowledged.op)


def squawk_command():
    """The squawk installed beside this Python (the virtualenv's), or on PATH; None if neither."""
    beside = Path(sys.executable).with_name("squawk")
    return str(beside) if beside.exists() else shutil.which("squawk")


@contextmanager
def operations_for(migration_context):
    """Point `alembic.op` at `migration_context` for the block, then back where it was.

    `flask db check` lints while Alembic's own proxy is in place.
    """
    previous = getattr(alembic.op, "_proxy", None)
    operations = Operations(migration_context)
    operations._install_proxy()
    try:
        yield operations
    finally:
        operations._remove_proxy()
        if previous is not None:
            previous._install_proxy()


def postgresql_sql(run):
    """The SQL that `run(operations)` emits on PostgreSQL, in a transaction, as --sql writes it."""
    buffer = io.StringIO()
    with quiet_alembic():
        context = MigrationContext.configure(dialect_name="postgresql", opts={
            "as_sql": True, "output_buffer": buffer, "literal_binds": True,
            "transactional_ddl": True,
        })
    with operations_for(context) as operations:
        with context.begin_transaction():
            run(operations)
    return buffer.getvalue()


@contextmanager
def quiet_alembic():
    """Alembic's "Generating static SQL" lines, once per revision rendered, are not news."""
    migration_logger = logging.getLogger("alembic.runtime.migration")
    level = migration_logger.level
    migration_logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        migration_logger.setLevel(level)


def lint(sql_by_revision, server_version=None):
    """Every finding of squawk in the given SQL; empty, with a warning, if squawk is missing."""
    command = squawk_command()
    if command is None:
        logger.warning("squawk is not installed (pip install squawk-cli): "
                       "the PostgreSQL migration lint was skipped")
        return []
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for revision, sql in sql_by_revision.items():
            path = Path(folder) / f"{revision}.sql"
            path.write_text(sql)
            files[str(path)] = (revision, sql.splitlines())
        arguments = [command, "--reporter", "json", f"--exclude={','.join(EXCLUDED_RULES)}"]
        if server_version:
            arguments.append(f"--pg-version={'.'.join(map(str, server_version[:2]))}")
        result = subprocess.run([*arguments, *files], capture_output=True, text=True)
    if result.returncode not in (0, 1) or not result.stdout.strip():
        raise CommandError(f"squawk failed: {(result.stderr or result.stdout).strip()}")
    findings = []
    for report in json.loads(result.stdout):
        revision, lines = files[report["file"]]
        line = lines[report["line"]].strip() if report["line"] < len(lines) else ""
        findings.append(LintFinding(
            revision, report["line"], report["rule_name"], line, report["message"],
            report.get("help") or "",
        ))
    return findings


def describe(finding):
    return (
        f"  - {finding.rule}: {finding.statement}\n"
        f"      {finding.message} {finding.help}".rstrip()
    )


def already_acknowledged(finding, written):
    """True when the user accepted the operation of `finding` (or of its batch) with a guard flag.

    `-x allow-drop=users.name` has said yes to dropping the column; squawk's
    ban-drop-column says the same thing again, and is not asked twice.
    """
    kinds = set()
    for op in (op for lines, op in written if finding.line in lines):
        while op is not None:
            if isinstance(op, AcknowledgedOp):
                kinds.update(flag.partition("=")[0] for flag in op.flags)
            op = getattr(op, "op", None)
    return any(finding.rule in RULES_A_GUARD_FLAG_ACCEPTS.get(kind, ()) for kind in kinds)


class LintAcknowledgmentOp(ops.MigrateOperation):
    """The squawk rules accepted with `-x allow-lint=`: a mark atop the new revision's upgrade()."""

    def __init__(self, flags):
        self.flags = flags

    def to_diff_tuple(self):
        return ("acknowledged", tuple(self.flags))


@renderers.dispatch_for(LintAcknowledgmentOp)
def render_lint_acknowledgment(autogen_context, acknowledgment):
    return mark(acknowledgment.flags)


def lint_new_revision(script, x_arguments, server_version=None):
    """Mark squawk's findings in the MigrationScript `script` atop its upgrade(), and tell them.

    Those accepted with `-x allow-lint=RULE` are marked without a word.
    """
    if script.upgrade_ops.is_empty():
        return
    accepted = parse_acknowledgments(x_arguments).lint_rules
    # The lines of SQL each operation wrote, to know which operation a finding is about.
    written = []

    def run(operations):
        output = operations.migration_context.output_buffer
        for op in script.upgrade_ops.ops:
            first = output.getvalue().count("\n")
            if isinstance(op, ops.ModifyTableOps):
                # Inside its batch, as the script runs it (an op of ours may need batch_op);
                # the batch writes its SQL as it ends, so each op is known by its block.
                with operations.batch_alter_table(op.table_name, schema=op.schema) as batch_op:
                    for inner in op.ops:
                        batch_op.invoke(inner)
                block = [inner for _, inner in leaf_operations(op)]
            else:
                operations.invoke(op)
                block = [op]
            lines = range(first, output.getvalue().count("\n"))
            written.extend((lines, each) for each in block)

    sql = postgresql_sql(run)
    findings = [
        finding for finding in lint({"new revision": sql}, server_version)
        if not already_acknowledged(finding, written)
        and not on_a_table_created_in_the_same_sql(finding, sql)
    ]
    for rule in sorted(accepted - {f.rule for f in findings}):
        logger.warning("-x allow-lint=%s accepts nothing: squawk finds no such thing", rule)
    unexpected = [f for f in findings if f.rule not in accepted]
    if unexpected:
        flags = sorted({f.flag for f in unexpected})
        logger.warning("\n".join([
            "squawk, the PostgreSQL migration linter, finds these in the new revision's SQL "
            "(see 'Before upgrading production' in README.md):",
            *(describe(f) for f in unexpected),
            f"The script is written with '{mark(flags)}' atop its upgrade(): read it, then "
            "keep the mark if it must be so, or change the revision. "
            f"(-x {' -x '.join(flags)} says you expected them.)",
        ]))
    if findings:
        script.upgrade_ops.ops.insert(0, LintAcknowledgmentOp(sorted({f.flag for f in findings})))


def on_a_table_created_in_the_same_sql(finding, sql):
    """True when the finding's statement works on a table that `sql` creates: nobody waits on it."""
    statements = statements_by_line(sql)
    created = {
        table_named_by(tree)
        for tree in map(parsed, statements.values())
        if isinstance(tree, exp.Create) and tree.kind == "TABLE"
    }
    statement = statements.get(finding.line)
    return statement is not None and table_named_by(parsed(statement)) in created - {None}


def statements_by_line(sql):
    """{line where it starts, counted from 0 as squawk does: statement} of SQL Alembic wrote."""
    statements, start, lines = {}, None, []
    for number, line in enumerate(sql.splitlines()):
        if start is None and not line.strip():
            continue
        if start is None:
            start = number
        lines.append(line)
        if line.rstrip().endswith(";"):
            statements[start] = "\n".join(lines)
            start, lines = None, []
    return statements


def parsed(statement):
    with sqlglot_quiet():
        try:
            return sqlglot.parse_one(statement, read="postgres")
        except SqlglotError:
            return None


def table_named_by(tree):
    """The first table a statement names: what ALTER TABLE, CREATE TABLE or CREATE INDEX is on."""
    table = tree.find(exp.Table) if tree is not None else None
    return table.name if table is not None else None


def covered(finding, flags):
    """True when the script's marks accept the finding: its own flag, or a guard's that says it."""
    kinds = {flag.partition("=")[0] for flag in flags}
    return finding.flag in flags or any(
        finding.rule in RULES_A_GUARD_FLAG_ACCEPTS.get(kind, ()) for kind in kinds
    )


def lint_history(scripts, server_version=None):
    """Refuse, naming each, findings in revisions whose scripts do not acknowledge them."""
    sql_by_revision, acknowledged, by_revision = {}, {}, {}
    for script in scripts:
        source = Path(script.path).read_text()
        try:
            sql_by_revision[script.revision] = postgresql_sql(lambda _: script.module.upgrade())
        except Exception as error:
            logger.warning("squawk cannot read revision %s: its upgrade() does not run without "
                           "a database (%s: %s)", script.revision, type(error).__name__, error)
            continue
        acknowledged[script.revision] = set().union(
            *(flags_in_comment(comment) for comment in comments_by_line(source).values())
        )
        by_revision[script.revision] = script
    refused = [
        finding for finding in lint(sql_by_revision, server_version)
        if not covered(finding, acknowledged[finding.revision])
        and not on_a_table_created_in_the_same_sql(finding, sql_by_revision[finding.revision])
    ]
    if refused:
        lines = ["squawk, the PostgreSQL migration linter, finds these in revisions that do not "
                 "acknowledge them (see 'Before upgrading production' in README.md):"]
        for revision in dict.fromkeys(f.revision for f in refused):
            script = by_revision[revision]
            found = [f for f in refused if f.revision == revision]
            lines.append(f"  {revision} ({Path(script.path).name}):")
            lines.extend(f"  {describe(f)}" for f in found)
            flags = sorted({f.flag for f in found})
            lines.append(f"      if it must be so, add to its upgrade(): {mark(flags)}")
        raise CommandError("\n".join(lines))
