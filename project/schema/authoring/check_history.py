"""The expression a CHECK was written with, read back from the history's scripts.

A dropped or changed check comes back in the downgrade. The database can say
what the check is, but in its own words (PostgreSQL's `length(name::text) > 2`,
MariaDB's ``octet_length(`name`) > 2``), which the other databases of the same
history cannot run. The revision that made the check holds it as its developer
wrote it: the newest one below the database's revision that creates a check of
that name, read with `ast`, not run.
"""
import ast
from pathlib import Path


def written_expression(autogen_context, table_name, check_name):
    """The text of the newest `create_check_constraint` or `CheckConstraint(..., name=...)`
    that made `check_name` on the way to the database's revision; None if none did."""
    context = autogen_context.migration_context
    if context.script is None:
        return None
    convention = autogen_context.metadata.naming_convention.get("ck")

    def names_the_check(literal):
        return literal == check_name or (isinstance(convention, str) and convention % {
            "table_name": table_name, "constraint_name": literal} == check_name)

    for revision in context.script.iterate_revisions(context.get_current_heads(), "base"):
        found = expression_in(Path(revision.path).read_text(), names_the_check)
        if found is not None:
            return found
    return None


def expression_in(source, names_the_check):
    """The condition, as a string literal, of a check the script's upgrade() creates."""
    upgrade = next((node for node in ast.parse(source).body
                    if isinstance(node, ast.FunctionDef) and node.name == "upgrade"), None)
    for call in ast.walk(upgrade) if upgrade is not None else ():
        if not isinstance(call, ast.Call):
            continue
        function = getattr(call.func, "attr", getattr(call.func, "id", None))
        if function == "create_check_constraint" and len(call.args) >= 2:
            name, condition = call.args[0], call.args[1]
        elif function == "CheckConstraint" and call.args:
            condition = call.args[0]
            name = next((k.value for k in call.keywords if k.arg == "name"), None)
        else:
            continue
        if names_the_check(literal(name)) and isinstance(literal(condition), str):
            return literal(condition)
    return None


def literal(node):
    """A string constant, or the one inside `op.f('...')`; None for anything else."""
    if isinstance(node, ast.Call) and node.args and getattr(node.func, "attr", None) == "f":
        node = node.args[0]
    return node.value if isinstance(node, ast.Constant) else None
