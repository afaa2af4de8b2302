"""The extension objects, created unbound and attached to an app by `register_extensions`."""
import os

from flask import has_request_context, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from project.schema.applying.postgresql_utc import keep_sessions_in_utc
from project.schema.applying.sqlite import make_sqlite_transactional

# Stable names for every constraint on every backend: batch mode on SQLite
# finds constraints by name, and a downgrade can drop what an upgrade made.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Model(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Model)
# render_as_batch: SQLite cannot ALTER most things, so every script uses batch
# operations. transaction_per_migration: a revision that fails rolls back alone.
migrate = Migrate(render_as_batch=True, transaction_per_migration=True)
login_manager = LoginManager()
csrf = CSRFProtect()
# Storage, switches and headers come from the RATELIMIT_* settings (project/config.py).
limiter = Limiter(key_func=get_remote_address)
mail = Mail()

MIGRATIONS_DIRECTORY = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")


def request_may_write():
    """Pages (GET, HEAD) only read; a form's POST, a command, a migration may write."""
    return not (has_request_context() and request.method in ("GET", "HEAD", "OPTIONS"))


def register_extensions(app):
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            make_sqlite_transactional(db.engine, begin_immediately=request_may_write)
        elif db.engine.dialect.name == "postgresql":
            keep_sessions_in_utc(db.engine)
    migrate.init_app(app, db, directory=MIGRATIONS_DIRECTORY)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
