"""What a new blueprint's name must be, and the names derived from it."""
import keyword
import re

import click

BLUEPRINT_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
# Names the project's own packages, folders or tools already mean something by.
RESERVED_NAMES = {"models", "blueprints", "schema", "scaffold", "templates", "static", "db",
                  "extensions", "config", "commands", "forms", "security", "project", "tests"}
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
    if name in RESERVED_NAMES:
        raise click.ClickException(
            f"{name!r} is already the name of a part of the project; choose another blueprint name."
        )
    if name.startswith("test"):
        # pytest would take the generated TestX model and factory for test classes.
        raise click.ClickException(
            f"{name!r} starts with 'test', which pytest reserves; choose another blueprint name."
        )


def check_model_name(model):
    if not MODEL_NAME.match(model):
        raise click.ClickException(
            f"{model!r} is not a class name in CamelCase; use a name like 'Note' or 'BugReport'."
        )
    return model


def model_name(name):
    """'notes' -> 'Note', 'bug_reports' -> 'BugReport', 'categories' -> 'Category'.

    A guess that English defeats now and then ('news' -> 'New'): see --model.
    """
    return "".join(part.capitalize() for part in singular(name).split("_") if part)


def singular(name):
    for plural, one in (("ies", "y"), ("sses", "ss"), ("uses", "us"), ("xes", "x"),
                        ("ches", "ch"), ("shes", "sh")):
        if name.endswith(plural):
            return name[: -len(plural)] + one
    if name.endswith("s") and not name.endswith(("ss", "us")):
        return name[:-1]
    return name
