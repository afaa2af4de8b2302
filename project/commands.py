"""The project's own commands, added to `flask` and `manage.py` beside `db`, `routes` and `run`."""
from project.scaffold import scaffold_cli


def register_commands(app):
    app.cli.add_command(scaffold_cli)
