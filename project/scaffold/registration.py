"""Precise, idempotent edits that register a new blueprint and its models.

Each function takes a file's text and returns it with the blueprint added, or
unchanged if it is there already. A file that has lost the expected shape is
refused with a message saying what to add by hand, before anything is written.
"""
import click

IMPORTS_OF_BLUEPRINTS = "from project.blueprints."


def with_import(text, line, already_there):
    """`text` with `line` inserted in its block of `from project.blueprints.` imports, in
    sorted order; unchanged if a line starts with `already_there`; None if there is no block."""
    lines = text.splitlines(keepends=True)
    if any(existing.startswith(already_there) for existing in lines):
        return text
    block = [i for i, existing in enumerate(lines) if existing.startswith(IMPORTS_OF_BLUEPRINTS)]
    if not block:
        return None
    position = next((i for i in block if lines[i] > line), block[-1] + 1)
    lines.insert(position, line + "\n")
    return "".join(lines)


def register_blueprint(text, name, path):
    """Import NAME's bp in project/blueprints/__init__.py and append it to BLUEPRINTS."""
    variable = f"{name}_bp"
    import_line = f"from project.blueprints.{name} import bp as {variable}"
    by_hand = click.ClickException(
        f"{path} has lost the shape the scaffold edits (imports, then `BLUEPRINTS = [` ... `]`); "
        f"add `{import_line}` and `{variable}` to BLUEPRINTS by hand"
    )
    text = with_import(text, import_line, f"from project.blueprints.{name} import ")
    if text is None:
        raise by_hand
    lines = text.splitlines(keepends=True)
    try:
        start = lines.index("BLUEPRINTS = [\n")
        end = lines.index("]\n", start)
    except ValueError:
        raise by_hand from None
    if f"    {variable},\n" not in lines[start:end]:
        lines.insert(end, f"    {variable},\n")
    return "".join(lines)


def register_models(text, name, model, path):
    """Import NAME's model in the registry, project/models/__init__.py."""
    line = f"from project.blueprints.{name}.models import {model}  # noqa: F401"
    new_text = with_import(text, line, f"from project.blueprints.{name}.models import ")
    if new_text is None:
        raise click.ClickException(f"{path} imports no blueprint's models; add `{line}` by hand")
    return new_text
