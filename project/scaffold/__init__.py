"""`flask scaffold blueprint NAME`: a new feature shaped like the others, registered and tested."""
from pathlib import Path

import click
from flask.cli import AppGroup

from project.extensions import db
from project.scaffold.files import render_feature
from project.scaffold.names import check_blueprint_name, check_model_name, model_name
from project.scaffold.registration import register_blueprint, register_models

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent

scaffold_cli = AppGroup(
    "scaffold", help="Create the files of a new feature, ready to migrate and test."
)


@scaffold_cli.command("blueprint")
@click.argument("name")
@click.option("--model", metavar="CLASS",
              help="The model's class name (default: NAME in the singular, e.g. Note).")
def blueprint_command(name, model):
    """Create the feature NAME: blueprint, model, forms, views, templates, tests.

    Writes project/blueprints/NAME/ and tests/NAME/ (a factory and tests),
    and adds NAME to project/blueprints/__init__.py and project/models/__init__.py.
    NAME is a lowercase Python identifier, plural since it names the table
    (e.g. notes, bug_reports). Nothing is overwritten: an existing blueprint,
    table, model or file is refused. Then run `flask db migrate -m "add NAME"`.
    """
    check_blueprint_name(name)
    model = check_model_name(model) if model else model_name(name)
    refuse_what_exists(name, model)

    blueprints_list = PROJECT_ROOT / "project" / "blueprints" / "__init__.py"
    registry = PROJECT_ROOT / "project" / "models" / "__init__.py"
    # Everything is worked out before anything is written, so a refusal leaves no trace.
    edits = {
        blueprints_list: register_blueprint(
            blueprints_list.read_text(), name, relative(blueprints_list)
        ),
        registry: register_models(registry.read_text(), name, model, relative(registry)),
    }
    new_files = render_feature(PROJECT_ROOT, name, model)
    existing = [relative(path) for path in new_files if path.exists()]
    if existing:
        raise click.ClickException(
            f"{existing[0]} already exists; the scaffold never overwrites a file"
        )

    for path, text in new_files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x") as new_file:
            new_file.write(text)
        click.echo(f"created {relative(path)}")
    for path, text in edits.items():
        path.write_text(text)
        click.echo(f"registered {name} in {relative(path)}")
    click.echo(f'next: flask db migrate -m "add {name}", read the script, flask db upgrade, '
               f"pytest tests/{name}")


def refuse_what_exists(name, model):
    import project.models  # noqa: F401  (the registry: every table and model there is)

    package = PROJECT_ROOT / "project" / "blueprints" / name
    if package.exists():
        raise click.ClickException(
            f"a blueprint named {name!r} already exists: {relative(package)}"
        )
    if name in db.metadata.tables:
        raise click.ClickException(f"a table named {name!r} already exists; choose another name")
    models = {m.class_.__name__: m.class_.__module__ for m in db.Model.registry.mappers}
    if model in models:
        raise click.ClickException(
            f"a model named {model} already exists in {models[model]}; choose another name"
        )


def relative(path):
    return path.relative_to(PROJECT_ROOT).as_posix()
