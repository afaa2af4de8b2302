"""Refuse a revision whose `upgrade()` may lose data without the acknowledgment mark on its line.

`flask db migrate` marks the drops the user accepted; a script written or
edited by hand must carry the same mark, or `flask db check` reports it and
`flask db upgrade` refuses to run it. What is read:

- `drop_column` and `drop_table`, on `op` or a batch operation;
- the SQL given to `op.execute` (and SQL text run on a connection), read by
  sqlglot (project.schema.authoring.sql_reading): drops, TRUNCATE, DELETE or
  UPDATE without WHERE, and SQL that cannot be read at all;
- a SQLAlchemy `update()` or `delete()` given to `execute` without `.where()`;
- the same in every function of the revision's module that `upgrade()` calls,
  directly or through others.

Only `upgrade()` is read: a downgrade legitimately drops what its upgrade created.
"""
import ast
import io
import sys
import tokenize
from dataclasses import asdict, dataclass
from pathlib import Path

from alembic.util import CommandError

from project.schema.authoring import acknowledge, marks, sql_reading
from project.schema.authoring.acknowledge import (
    ALLOW_DATA_LOSS,
    ALLOW_DROP,
    ALLOW_SQL,
    acknowledgment_flag,
)
from project.schema.authoring.marks import flags_in_comment, mark
from project.schema.authoring.sql_reading import SqlFinding, excerpt, sql_findings
from project.schema.script_cache import code_fingerprint, read_cached

DROPS = {"drop_column", "drop_table"}
EXECUTES = {"execute", "exec_driver_sql"}
# Names that build a SQLAlchemy statement from a table: `sa.update(t)` or `t.update()`.
STATEMENT_BUILDERS = {"select", "insert", "update", "delete"}
TABLE_BUILDERS = {"table", "Table"}
NARROWED_BY = {"where", "filter", "filter_by"}
SQLALCHEMY_MODULE_NAMES = {"sa", "sqlalchemy"}
# Calls on `text("...")` that leave its SQL as it is.
TEXT_OPTIONS = {"bindparams", "columns", "execution_options"}


@dataclass(frozen=True)
class Finding:
    line: int
    kind: str
    target: str
    what: str
    function: str  # upgrade, or the helper that upgrade() calls where it stands

    @property
    def flag(self):
        return acknowledgment_flag(self.kind, self.target)


def unmarked_findings(source):
    """What in `upgrade()` of the script `source` (and its helpers) lacks its mark."""
    module = ast.parse(source)
    comments = comments_by_line(source)
    reader = ScriptReader(module)
    unmarked = []
    for call, finding in reader.findings_of("upgrade"):
        lines = range(call.lineno, call.end_lineno + 1)
        flags = set().union(*(flags_in_comment(comments.get(line, "")) for line in lines))
        if finding.flag not in flags:
            unmarked.append(finding)
    return unmarked


def comments_by_line(source):
    return {
        token.start[0]: token.string
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    }


class ScriptReader:
    """Reads one revision module: its functions, and the tables its names stand for."""

    def __init__(self, module):
        self.functions = {
            node.name: node for node in module.body if isinstance(node, ast.FunctionDef)
        }
        self.tables = table_variables(module)

    def findings_of(self, entry):
        """(call, Finding) under the function `entry` and every module function it calls."""
        if entry not in self.functions:
            return
        to_read, read = [entry], set()
        while to_read:
            name = to_read.pop(0)
            if name in read:
                continue
            read.add(name)
            function = self.functions[name]
            yield from self._findings_in(function, name, batch_tables={})
            to_read.extend(
                node.func.id for node in ast.walk(function)
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in self.functions
            )

    def _findings_in(self, node, function, batch_tables):
        """`batch_tables` maps the name bound by `with op.batch_alter_table("t") as batch_op`
        to "t", so that `batch_op.drop_column("c")` is known as t.c."""
        if isinstance(node, ast.With):
            batch_tables = {**batch_tables, **batch_aliases(node)}
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if method in DROPS:
                target = drop_target(node, batch_tables)
                yield node, Finding(node.lineno, ALLOW_DROP, target, f"drops {target}", function)
            elif method in EXECUTES and (node.args or node.keywords):
                for finding in self._execute_findings(node, function, batch_tables):
                    yield node, finding
        for child in ast.iter_child_nodes(node):
            yield from self._findings_in(child, function, batch_tables)

    def _execute_findings(self, call, function, batch_tables):
        """Findings of one `execute(...)`. Only on `op` (or a batch operation) is an
        argument that cannot be read a finding: elsewhere it is Python, not SQL."""
        receiver = call.func.value
        on_op = isinstance(receiver, ast.Name) and (
            receiver.id == "op" or receiver.id in batch_tables
        )
        statement = argument(call, 0, "sqltext") or argument(call, 0, "statement")
        sql = sql_text(statement)
        if sql is not None:
            found = sql_findings(sql)
        else:
            found = self._expression_findings(statement, on_op)
        for finding in found:
            yield Finding(
                call.lineno, finding.kind, finding.target or function, finding.what, function
            )

    def _expression_findings(self, statement, on_op):
        built = statement_built(statement)
        if built is None:
            if not on_op:
                return []
            what = f"runs SQL the audit cannot read: {excerpt(ast.unparse(statement))}"
            return [SqlFinding(ALLOW_SQL, None, what)]
        verb, table, narrowed = built
        if verb not in ("update", "delete") or narrowed:
            return []
        name = self.tables.get(table, table)
        action = "deletes" if verb == "delete" else "overwrites"
        return [SqlFinding(ALLOW_DATA_LOSS, name, f"{action} every row of {name} (no .where())")]


def sql_text(node):
    """The SQL a node spells: a string literal, or `text("...")`; None otherwise."""
    while is_method_call(node) and node.func.attr in TEXT_OPTIONS:
        node = node.func.value
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and called_name(node) == "text" and node.args:
        first = node.args[0]
        return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) \
            else None
    return None


def statement_built(node):
    """(verb, table variable, narrowed by a WHERE) of a SQLAlchemy statement, or None.

    `t.update().values(...)` is ("update", "t", False); `sa.delete(t).where(...)`
    is ("delete", "t", True).
    """
    methods = []
    while isinstance(node, ast.Call):
        verb = called_name(node)
        if verb in STATEMENT_BUILDERS:
            if is_method_call(node) and isinstance(node.func.value, ast.Name) \
                    and node.func.value.id not in SQLALCHEMY_MODULE_NAMES:
                table = node.func.value
            else:
                table = node.args[0] if node.args else None
            name = table.id if isinstance(table, ast.Name) else "?"
            return verb, name, bool(NARROWED_BY & set(methods))
        if not is_method_call(node):
            return None
        methods.append(verb)
        node = node.func.value
    return None


def is_method_call(node):
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)


def table_variables(module):
    """{variable: table name} for `teams = sa.table("teams", ...)` anywhere in the module."""
    tables = {}
    for node in ast.walk(module):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call)
            and called_name(node.value) in TABLE_BUILDERS
            and node.value.args
            and literal(node.value.args[0]) != "?"
        ):
            tables[node.targets[0].id] = literal(node.value.args[0])
    return tables


def called_name(call):
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return call.func.id if isinstance(call.func, ast.Name) else None


def batch_aliases(with_node):
    aliases = {}
    for item in with_node.items:
        call = item.context_expr
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "batch_alter_table"
            and isinstance(item.optional_vars, ast.Name)
        ):
            aliases[item.optional_vars.id] = literal(argument(call, 0, "table_name"))
    return aliases


def drop_target(call, batch_tables):
    receiver = call.func.value
    if call.func.attr == "drop_table":
        return literal(argument(call, 0, "table_name"))
    if isinstance(receiver, ast.Name) and receiver.id in batch_tables:
        return f"{batch_tables[receiver.id]}.{literal(argument(call, 0, 'column_name'))}"
    if isinstance(receiver, ast.Name) and receiver.id == "op":
        table, column = argument(call, 0, "table_name"), argument(call, 1, "column_name")
        return f"{literal(table)}.{literal(column)}"
    # A batch operation handed to a helper: the table is the caller's.
    return f"?.{literal(argument(call, 0, 'column_name'))}"


def argument(call, position, keyword):
    if len(call.args) > position:
        return call.args[position]
    return next((kw.value for kw in call.keywords if kw.arg == keyword), None)


def literal(node):
    """The string a node spells, or "?" when the script computes it."""
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else "?"


def audit_scripts(scripts):
    """Raise CommandError naming every unmarked finding in the given alembic Script objects.

    A file already audited with the same content is not read again (schema.script_cache).
    """
    scripts = list(scripts)
    fingerprint = code_fingerprint(sys.modules[__name__], acknowledge, marks, sql_reading)
    found = read_cached(
        [script.path for script in scripts], "audit", fingerprint,
        lambda source: [asdict(finding) for finding in unmarked_findings(source)],
    )
    problems = [
        (script, Finding(**finding))
        for script, findings in zip(scripts, found)
        for finding in findings
    ]
    if problems:
        raise CommandError(audit_message(problems))


def audit_message(problems):
    lines = ["These revisions drop data in upgrade() without an acknowledgment:"]
    for script, finding in problems:
        where = f"line {finding.line}"
        if finding.function != "upgrade":
            where += f", in {finding.function}() which upgrade() calls"
        lines.append(f"  - {script.revision} ({Path(script.path).name}, {where}): {finding.what}")
        if finding.kind == ALLOW_SQL:
            lines.append(
                f"      read it; if it keeps the data, end that line with: {mark([finding.flag])}"
            )
        else:
            lines.append(f"      if the data may go, end that line with: {mark([finding.flag])}")
    return "\n".join(lines)


def revisions_upgraded_by(steps):
    """The revisions whose `upgrade()` a plan of Alembic steps runs."""
    return [step.revision for step in steps if step.is_upgrade and hasattr(step, "revision")]
