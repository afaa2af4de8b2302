"""The project's own commands, added to `flask` and `manage.py` beside `db`, `routes` and `run`."""
from project.scaffold import scaffold_cli
from project.schema.cli import restore_command


def register_commands(app):
    app.cli.add_command(scaffold_cli)
    # Beside upgrade and downgrade, in Flask-Migrate's own `db` group.
    app.cli.commands["db"].add_command(restore_command)
