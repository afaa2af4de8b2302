"""The data steps of a revision, lifted out of it so that a squashed revision can carry them.

A data step is every statement of `upgrade()` that is not a schema operation
(`op.execute(...)`, a loop over rows, an `if` around them), together with
what the module defines beside upgrade() (its `sa.table(...)` declarations,
its helper functions, its imports): all of it is copied, as written, into one
function named after the revision.
"""
import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

from project.schema.viewing.revision_facts import DATA_CALLS, upgrade_function

REVISION_IDENTIFIERS = {"revision", "down_revision", "branch_labels", "depends_on"}


@dataclass(frozen=True)
class DataStep:
    revision: str
    message: str
    function_name: str
    source: str


def data_step_of(script_revision):
    """The revision's DataStep, or None when its upgrade only changes the schema."""
    source = Path(script_revision.path).read_text()
    upgrade = upgrade_function(source)
    statements = [node for node in upgrade.body if not is_schema_statement(node)] \
        if upgrade else []
    if not statements:
        return None
    module = ast.parse(source)
    beside = [node for node in module.body if is_carried_module_statement(node)]
    name = f"data_step_{script_revision.revision}"
    message = (script_revision.doc or "").strip()
    body = [f'"""{message} (revision {script_revision.revision})."""']
    body += [segment(source, node) for node in beside + statements]
    function = f"def {name}():\n" + "\n".join(textwrap.indent(part, "    ") for part in body)
    return DataStep(script_revision.revision, message, name, function)


# The blocks schema operations come in: a batch, and the block around an index built
# CONCURRENTLY (`with op.get_context().autocommit_block():`).
SCHEMA_BLOCKS = {"batch_alter_table", "autocommit_block"}


def is_schema_statement(node):
    if isinstance(node, ast.With):
        return all(
            isinstance(item.context_expr, ast.Call)
            and getattr(item.context_expr.func, "attr", None) in SCHEMA_BLOCKS
            for item in node.items
        ) and not any(is_data_call(child) for child in ast.walk(node))
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        call = node.value
        return isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) \
            and call.func.value.id == "op" and call.func.attr not in DATA_CALLS
    return isinstance(node, ast.Pass)


def is_data_call(node):
    return isinstance(node, ast.Call) and getattr(node.func, "attr", None) in DATA_CALLS


def is_carried_module_statement(node):
    """Everything at module level but the docstring, the revision's identity, its functions."""
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return False
    if isinstance(node, ast.FunctionDef) and node.name in ("upgrade", "downgrade"):
        return False
    if isinstance(node, ast.Assign):
        return not any(
            isinstance(target, ast.Name) and target.id in REVISION_IDENTIFIERS
            for target in node.targets
        )
    return True


def segment(source, node):
    """The node's source as written, comments inside it included, dedented."""
    return textwrap.dedent(ast.get_source_segment(source, node, padded=True))
