"""Refuse a revision whose `upgrade()` drops a column or table without the acknowledgment mark.

`flask db migrate` marks the drops the user accepted; a script written or
edited by hand must carry the same mark, or `flask db check` reports it and
`flask db upgrade` refuses to run it. Only `upgrade()` is read: a downgrade
legitimately drops what its upgrade created.
"""
import ast
import io
import tokenize
from dataclasses import dataclass
from pathlib import Path

from alembic.util import CommandError

from project.schema.authoring.acknowledge import ALLOW_DROP, acknowledgment_flag
from project.schema.authoring.marks import flags_in_comment, mark

DROPS = {"drop_column", "drop_table"}


@dataclass(frozen=True)
class UnmarkedDrop:
    line: int
    target: str

    @property
    def flag(self):
        return acknowledgment_flag(ALLOW_DROP, self.target)


def unmarked_drops(source):
    """Drops in `upgrade()` of the script `source` whose lines do not carry their mark."""
    tree = ast.parse(source)
    upgrade = next(
        (
            node for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name == "upgrade"
        ),
        None,
    )
    if upgrade is None:
        return []
    comments = comments_by_line(source)
    unmarked = []
    for call, target in drops_in(upgrade, batch_tables={}):
        lines = range(call.lineno, call.end_lineno + 1)
        flags = set().union(*(flags_in_comment(comments.get(line, "")) for line in lines))
        if acknowledgment_flag(ALLOW_DROP, target) not in flags:
            unmarked.append(UnmarkedDrop(call.lineno, target))
    return unmarked


def comments_by_line(source):
    return {
        token.start[0]: token.string
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    }


def drops_in(node, batch_tables):
    """(call, "table" or "table.column") for each drop under `node`.

    `batch_tables` maps the name bound by `with op.batch_alter_table("t") as
    batch_op` to "t", so that `batch_op.drop_column("c")` is known as t.c.
    """
    if isinstance(node, ast.With):
        batch_tables = {**batch_tables, **batch_aliases(node)}
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in DROPS
    ):
        yield node, drop_target(node, batch_tables)
    for child in ast.iter_child_nodes(node):
        yield from drops_in(child, batch_tables)


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
    return f"{literal(argument(call, 0, 'table_name'))}.{literal(argument(call, 1, 'column_name'))}"


def argument(call, position, keyword):
    if len(call.args) > position:
        return call.args[position]
    return next((kw.value for kw in call.keywords if kw.arg == keyword), None)


def literal(node):
    """The string a node spells, or "?" when the script computes it."""
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else "?"


def audit_scripts(scripts):
    """Raise CommandError naming every unmarked drop in the given alembic Script objects."""
    problems = [
        (script, drop)
        for script in scripts
        for drop in unmarked_drops(Path(script.path).read_text())
    ]
    if problems:
        raise CommandError(audit_message(problems))


def audit_message(problems):
    lines = ["These revisions drop data in upgrade() without an acknowledgment:"]
    for script, drop in problems:
        lines.append(
            f"  - {script.revision} ({Path(script.path).name}, line {drop.line}): "
            f"drops {drop.target}"
        )
        lines.append(f"      if the data may go, end that line with: {mark([drop.flag])}")
    return "\n".join(lines)


def revisions_upgraded_by(steps):
    """The revisions whose `upgrade()` a plan of Alembic steps runs."""
    return [step.revision for step in steps if step.is_upgrade and hasattr(step, "revision")]
