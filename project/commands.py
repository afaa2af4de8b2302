"""The project's own commands, added to `flask` and `manage.py` beside `db`, `routes` and `run`."""
import project.models  # noqa: F401  (the registry: status and diagram see every model)
from project.scaffold import scaffold_cli
from project.schema.cli import (
    add_blueprint_option,
    read_by_headers,
    diagram_command,
    graph_command,
    resolve_command,
    restore_command,
    squash_command,
    status_command,
    verbose_option,
)

# What migrations/env.py and project/schema add to Flask-Migrate's commands,
# told where a user looks first: their --help.
DB_COMMAND_NOTES = {
    "migrate": (
        "This project refuses a script that loses data until each loss is acknowledged: "
        "-x allow-drop=TABLE[.COLUMN], -x allow-narrow=TABLE.COLUMN, "
        "-x allow-not-null=TABLE.COLUMN, -x allow-unique=TABLE.COL1+COL2, "
        "-x allow-check=TABLE.ck_NAME; and keeps a rename "
        "a rename with -x rename=TABLE.OLD:NEW or -x rename=OLD:NEW for a table (-x repeats). "
        "See 'What flask db migrate refuses' in README.md."
    ),
    "upgrade": (
        "This project waits for any other migration of the database first "
        "(MIGRATION_LOCK_TIMEOUT), copies a SQLite database to backups/ beside it before "
        "changing it (flask db restore puts a copy back), and refuses two heads, "
        "hand-written drops without their mark, and a revision left partly applied until "
        "flask db resolve."
    ),
}
DB_COMMAND_NOTES["downgrade"] = DB_COMMAND_NOTES["upgrade"] + (
    " It refuses to drop tables or columns that hold rows until acknowledged: "
    "-x allow-drop=TABLE[.COLUMN] (-x repeats), or yes at a terminal."
)


def register_commands(app):
    app.cli.add_command(scaffold_cli)
    db_group = app.cli.commands["db"]
    # Beside upgrade and downgrade, in Flask-Migrate's own `db` group.
    db_group.add_command(restore_command)
    db_group.add_command(resolve_command)
    for command in (status_command, diagram_command, graph_command, squash_command):
        db_group.add_command(command)
    add_blueprint_option(db_group.commands["history"])
    for name in ("heads", "branches", "history", "show"):
        read_by_headers(db_group.commands[name])
    verbose_option(db_group)
    for name, note in DB_COMMAND_NOTES.items():
        db_group.commands[name].epilog = note
