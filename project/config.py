"""Configuration classes, read from the environment when the app is created."""
import os
from datetime import timedelta

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

DEFAULT_SECRET_KEY = "dev-only-not-secret"


class ConfigurationError(click.ClickException):
    """A setting that the app cannot start with.

    A ClickException, so that `flask` and `manage.py` print its one line and
    exit 1 instead of a traceback; a WSGI server sees an ordinary exception.
    """


class Config:
    SECRET_KEY = DEFAULT_SECRET_KEY
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Cookies a script cannot read and another site cannot send along.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)

    # Forms here are small; anything larger is refused with 413.
    MAX_CONTENT_LENGTH = 1024 * 1024

    # Werkzeug's default; its hashes are 162 characters long.
    PASSWORD_HASH_METHOD = "scrypt"

    # How long `flask db upgrade` waits for another instance's migration to finish.
    MIGRATION_LOCK_TIMEOUT = 300
    # How many copies of a SQLite database to keep from before migrations (0: none).
    SQLITE_BACKUP_KEEP = 5
    # Seconds a migration statement waits for a table's lock before giving up (0: for ever).
    # Short: while it waits, PostgreSQL queues the site's queries on that table behind it.
    MIGRATION_TABLE_LOCK_TIMEOUT = 5
    # How many more times a revision whose lock was not granted is tried, after 1, 2, 4... s.
    MIGRATION_TABLE_LOCK_RETRIES = 3
    # Seconds one migration statement may run (0: no limit).
    MIGRATION_STATEMENT_TIMEOUT = 900

    @classmethod
    def check(cls, config):
        """Raise ConfigurationError when `config` is unfit for this environment."""


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    TESTING = True
    # One iteration: the suite tests the app, not the cost of scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @classmethod
    def check(cls, config):
        if config["SECRET_KEY"] in (None, "", DEFAULT_SECRET_KEY):
            raise ConfigurationError(
                "production refuses to start without a real SECRET_KEY: set one in the "
                "environment or in .env"
            )
        if config.get("DEBUG"):
            raise ConfigurationError(
                "production refuses to start with debug on: unset FLASK_DEBUG"
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(app, config_name=None, overrides=None):
    """Fill `app.config` from the chosen class, the environment, then `overrides`."""
    name = config_name or os.environ.get("APP_ENV") or "development"
    if name not in CONFIGS:
        raise ConfigurationError(
            f"APP_ENV={name!r} is not one of: {', '.join(CONFIGS)}"
        )
    config_class = CONFIGS[name]
    app.config.from_object(config_class)
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    for name in NUMBER_SETTINGS:
        if os.environ.get(name):
            app.config[name] = number_setting(name, os.environ[name])
    app.config["SQLALCHEMY_DATABASE_URI"] = (
        os.environ.get("DATABASE_URL") or default_database_url(app)
    )
    app.config.update(overrides or {})
    app.config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    config_class.check(app.config)


# Settings that may come from the environment, each a number of at least zero.
NUMBER_SETTINGS = [
    "MIGRATION_LOCK_TIMEOUT", "SQLITE_BACKUP_KEEP", "MIGRATION_TABLE_LOCK_TIMEOUT",
    "MIGRATION_TABLE_LOCK_RETRIES", "MIGRATION_STATEMENT_TIMEOUT",
]
# Those that are counts; the others are seconds, and may have a fraction.
COUNT_SETTINGS = ["SQLITE_BACKUP_KEEP", "MIGRATION_TABLE_LOCK_RETRIES"]


def number_setting(name, value):
    try:
        number = int(value) if name in COUNT_SETTINGS else float(value)
    except ValueError:
        number = -1
    if number < 0:
        raise ConfigurationError(f"{name}={value!r} is not a number of zero or more")
    return number


def default_database_url(app):
    os.makedirs(app.instance_path, exist_ok=True)
    return "sqlite:///" + os.path.join(app.instance_path, "app.db")


# The drivers this project installs, for URLs that name only the database kind.
DEFAULT_DRIVERS = {
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mariadb+pymysql",
}


def normalize_database_url(url):
    """Parse `url` (a clear ConfigurationError if it cannot be) and pick our drivers."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigurationError(
            f"DATABASE_URL cannot be parsed: {url!r} (expected e.g. "
            "postgresql+psycopg://user:password@host:5432/dbname)"
        ) from None
    if parsed.drivername in DEFAULT_DRIVERS:
        parsed = parsed.set(drivername=DEFAULT_DRIVERS[parsed.drivername])
    try:
        parsed.get_dialect().import_dbapi()
    except (NoSuchModuleError, ImportError):
        raise ConfigurationError(
            f"DATABASE_URL names {parsed.drivername!r}, which this project does not install; "
            "use sqlite:///..., postgresql+psycopg://... or mysql+pymysql://..."
        ) from None
    return parsed.render_as_string(hide_password=False)
