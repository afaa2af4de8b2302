"""What a new blueprint's name must be, and the names derived from it."""
import keyword
import re

import click

BLUEPRINT_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
MODEL_NAME = re.compile(r"[A-Z][A-Za-z0-9]*\Z")


def check_blueprint_name(name):
    """Raise ClickException unless `name` can be a package, a table and a URL prefix."""
    if keyword.iskeyword(name):
        raise click.ClickException(f"{name!r} is a Python keyword; choose another blueprint name.")
    if not BLUEPRINT_NAME.match(name):
        raise click.ClickException(
            f"{name!r} is not a lowercase Python identifier; use a name like 'notes' or "
            "'bug_reports'."
        )


def check_model_name(model):
    if not MODEL_NAME.match(model):
        raise click.ClickException(
            f"{model!r} is not a class name in CamelCase; use a name like 'Note' or 'BugReport'."
        )
    return model


def model_name(name):
    """'notes' -> 'Note', 'bug_reports' -> 'BugReport': the class of one row of the table.
    A guess that English defeats now and then ('statuses' -> 'Statuse'): see --model."""
    singular = name[:-1] if name.endswith("s") and not name.endswith("ss") else name
    return "".join(part.capitalize() for part in singular.split("_") if part)
