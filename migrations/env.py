"""Alembic's environment for the one history of every blueprint's tables.

Thin on purpose: the safety logic lives in project.schema, where it is tested.
"""
import logging
from logging.config import fileConfig

from alembic import context
from alembic.util import CommandError
from flask import current_app

import project.models  # noqa: F401  (the registry: autogenerate must see every table)
from project.schema.heads import multiple_heads_message
from project.schema.runner import run_online

config = context.config
# fileConfig's default would silence every logger the app made before this point.
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

migrate_extension = current_app.extensions["migrate"]
db = migrate_extension.db


def skip_empty_autogenerate(context, revision, directives):
    """Write no script when autogenerate finds nothing to do."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def configure_args():
    args = dict(migrate_extension.configure_args)
    args.setdefault("process_revision_directives", skip_empty_autogenerate)
    return args


def run_migrations_offline():
    """Emit the SQL to standard output; no database connection is made."""
    context.configure(
        url=db.engine.url.render_as_string(hide_password=False),
        target_metadata=db.metadata,
        literal_binds=True,
        **configure_args(),
    )
    with context.begin_transaction():
        context.run_migrations()


def refuse_multiple_heads():
    """Two teams branched from the same head: nothing runs until they are joined."""
    message = multiple_heads_message(context.script)
    if message:
        raise CommandError(message)


refuse_multiple_heads()
if context.is_offline_mode():
    run_migrations_offline()
else:
    run_online(context, db, current_app.config, configure_args())
