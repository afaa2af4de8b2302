"""What the runner must know of each revision before it runs, read from its file once.

Whether its `upgrade()` or `downgrade()` rebuilds a table (SQLite runs it with
foreign keys off), and whether it commits part of itself as it goes
(`autocommit_block`: what stayed of it after a failure has to be found by
comparing the schema before and after). Kept by the file's content in the
versions folder's cache (schema.script_cache), so a long history costs nothing
on the next command.
"""
import ast
import sys
from dataclasses import dataclass

from project.schema.script_cache import code_fingerprint, read_cached

# Operations that rebuild a table on SQLite: batch mode itself, and the project's
# own operations that rebuild a table's CHECK of an enum, for its values or for
# the type's new name (applying/enum_ops.py).
REBUILDING_OPERATIONS = {"batch_alter_table", "change_enum_values", "rename_enum_type"}
# A block that commits what ran inside it: a failure later in the revision cannot roll it back.
COMMITTING_BLOCK = "autocommit_block"


@dataclass(frozen=True)
class ScriptFacts:
    rebuilds: dict  # {"upgrade": bool, "downgrade": bool}
    commits_midway: bool


def facts_of(scripts):
    """{revision id: ScriptFacts} of the given alembic Script objects."""
    scripts = [script for script in scripts if script is not None]
    read = read_cached(
        [script.path for script in scripts], "script-facts",
        code_fingerprint(sys.modules[__name__]), read_facts,
    )
    return {script.revision: ScriptFacts(**facts) for script, facts in zip(scripts, read)}


def read_facts(source):
    module = ast.parse(source)
    return {
        "rebuilds": {name: reaches(module, name, REBUILDING_OPERATIONS)
                     for name in ("upgrade", "downgrade")},
        # Read as text, a superset: a mention in a comment costs one reflection, not a miss.
        "commits_midway": COMMITTING_BLOCK in source,
    }


def reaches(module, function_name, attributes):
    """True if `function_name`, itself or through the module's functions it calls, uses one
    of `attributes`. A helper imported from elsewhere cannot be seen here."""
    functions = {node.name: node for node in module.body if isinstance(node, ast.FunctionDef)}
    to_read, read = [function_name], set()
    while to_read:
        name = to_read.pop()
        if name in read or name not in functions:
            continue
        read.add(name)
        for node in ast.walk(functions[name]):
            if isinstance(node, ast.Attribute) and node.attr in attributes:
                return True
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                to_read.append(node.func.id)
    return False
