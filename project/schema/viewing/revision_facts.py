"""What a revision script does, read from its source: the tables its upgrade touches,
whether it drops data, whether it carries a data step.

Read, never run: a status or a graph must not execute a hundred scripts.
"""
import ast
from dataclasses import dataclass
from pathlib import Path

# Operations whose first argument is the table they change.
TABLE_FIRST = {
    "create_table", "drop_table", "add_column", "drop_column", "alter_column",
    "batch_alter_table", "create_table_comment", "drop_table_comment", "bulk_insert",
}
# Operations whose table comes second: (name, table, ...).
TABLE_SECOND = {
    "create_index", "drop_index", "create_unique_constraint", "create_check_constraint",
    "create_primary_key", "drop_constraint", "create_foreign_key",
}
TABLE_KEYWORDS = {"table_name", "source_table"}
DROPS = {"drop_table", "drop_column"}
# Calls that read or write rows rather than change the schema.
DATA_CALLS = {"execute", "bulk_insert", "get_bind", "inline_literal"}


@dataclass(frozen=True)
class RevisionFacts:
    revision: str
    message: str
    tables: frozenset
    destructive: bool
    data_step: bool


def revision_facts(script):
    """The facts of one alembic Script (a revision of the ScriptDirectory)."""
    tables, destructive, data_step = set(), False, False
    upgrade = upgrade_function(Path(script.path).read_text())
    if upgrade is not None:
        for call, name in operation_calls(upgrade):
            tables.update(tables_of(call, name))
            destructive = destructive or name in DROPS
            data_step = data_step or name in DATA_CALLS
        for call in ast.walk(upgrade):
            # sa.table("teams", ...) declares the rows a data step reads or writes.
            if isinstance(call, ast.Call) and called_name(call) == "table":
                tables.update(string_arguments(call, 0))
    return RevisionFacts(
        script.revision, (script.doc or "").strip(), frozenset(tables), destructive, data_step,
    )


def upgrade_function(source):
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == "upgrade":
            return node
    return None


def called_name(call):
    function = call.func
    if isinstance(function, ast.Attribute):
        return function.attr
    if isinstance(function, ast.Name):
        return function.id
    return None


def operation_calls(function):
    """(call, operation name) for every `op.x(...)` or `batch_op.x(...)` in `function`.

    A batch operation gets the table of its `with op.batch_alter_table(...)`.
    """
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "op":
            yield node, node.func.attr
        if isinstance(node, ast.With):
            for item in node.items:
                if isinstance(item.context_expr, ast.Call) \
                        and called_name(item.context_expr) == "batch_alter_table":
                    yield from batch_calls(node, item)


def batch_calls(with_node, item):
    alias = item.optional_vars.id if isinstance(item.optional_vars, ast.Name) else None
    table = string_arguments(item.context_expr, 0)
    for node in ast.walk(with_node):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == alias:
            yield BatchCall(node, table), node.func.attr


@dataclass
class BatchCall:
    call: ast.Call
    tables: set


def tables_of(call, name):
    if isinstance(call, BatchCall):
        return call.tables
    if name == "rename_table":
        return string_arguments(call, 0) | string_arguments(call, 1)
    if name in TABLE_FIRST:
        return string_arguments(call, 0)
    if name in TABLE_SECOND:
        return string_arguments(call, 1)
    return set()


def string_arguments(call, position):
    """The string literal at `position` (or its keyword twin), as a set of zero or one name."""
    if len(call.args) > position:
        value = call.args[position]
    else:
        value = next((k.value for k in call.keywords if k.arg in TABLE_KEYWORDS), None)
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return {value.value}
    return set()
