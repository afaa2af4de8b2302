"""Configuration classes, read from the environment when the app is created."""
import os
from datetime import timedelta

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

DEFAULT_SECRET_KEY = "dev-only-not-secret"
# A key is a secret only if it cannot be guessed: 32 characters of token_hex are 128 bits.
MINIMUM_SECRET_KEY_LENGTH = 32


class ConfigurationError(click.ClickException):
    """A setting that the app cannot start with.

    A ClickException, so that `flask` and `manage.py` print its one line and
    exit 1 instead of a traceback; a WSGI server sees an ordinary exception.
    """


class Config:
    SECRET_KEY = DEFAULT_SECRET_KEY
    # Keys signed with before the current one, still accepted while sessions and
    # reset links made with them expire (Flask 3.1 sessions; this project's tokens).
    SECRET_KEY_FALLBACKS = []
    # A server may have closed a pooled connection: test it before use. (Not on
    # SQLite, where a file cannot go away and the test costs a query per request.)
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Cookies a script cannot read and another site cannot send along.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    # A form's CSRF token works as long as a session can last. It is bound to its session,
    # which login, logout and the idle timeout replace, so that is what ends it; Flask-WTF's
    # default hour refused the move buttons of a board left open over lunch.
    WTF_CSRF_TIME_LIMIT = int(PERMANENT_SESSION_LIFETIME.total_seconds())

    # Forms here are small; anything larger is refused with 413.
    MAX_CONTENT_LENGTH = 1024 * 1024

    # argon2id with OWASP's minimum (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane.
    ARGON2_MEMORY_COST = 19 * 1024
    ARGON2_TIME_COST = 2
    ARGON2_PARALLELISM = 1

    # A session that is not remembered ends after this long without a request.
    IDLE_TIMEOUT = timedelta(minutes=30)

    # Throttling (Flask-Limiter): per client address and per account. In memory
    # for one process; production shares the counts between workers in Redis.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMITS = "10 per minute; 50 per hour"

    # Mail (Flask-Mailman): written to files under instance/mail/ until SMTP is set up.
    MAIL_BACKEND = "file"
    MAIL_DEFAULT_SENDER = "Project <no-reply@localhost>"
    # Reset links work this long, and once.
    PASSWORD_RESET_MAX_AGE = timedelta(minutes=30)
    EMAIL_CONFIRMATION_MAX_AGE = timedelta(days=7)

    # Log lines as text for a person at a terminal; JSON in production (project/logs.py).
    LOG_JSON = False
    LOG_LEVEL = "INFO"

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
    # argon2's smallest cost: the suite tests the app, not the cost of hashing.
    ARGON2_MEMORY_COST = 8
    ARGON2_TIME_COST = 1
    # Most tests log in many times a minute; the throttling tests set their own limits.
    LOGIN_LIMITS = "100000 per minute"


class ProductionConfig(Config):
    LOG_JSON = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    # Every worker counts against the same limits.
    RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379/0"
    # Redis down: each worker counts alone for a while, rather than every login failing.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    MAIL_BACKEND = "smtp"
    # Strict-Transport-Security: browsers use HTTPS only, for a year.
    HSTS_MAX_AGE = 365 * 24 * 3600
    # Errors logged without their SQL parameters: those hold password hashes and tokens.
    SQLALCHEMY_ENGINE_OPTIONS = {**Config.SQLALCHEMY_ENGINE_OPTIONS, "hide_parameters": True}

    @classmethod
    def check(cls, config):
        if config["SECRET_KEY"] in (None, "", DEFAULT_SECRET_KEY):
            raise ConfigurationError(
                "production refuses to start without a real SECRET_KEY: set one in the "
                "environment or in .env"
            )
        if len(config["SECRET_KEY"]) < MINIMUM_SECRET_KEY_LENGTH:
            raise ConfigurationError(
                f"production refuses a SECRET_KEY shorter than {MINIMUM_SECRET_KEY_LENGTH} "
                "characters: make one with python -c 'import secrets; print(secrets.token_hex(32))'"
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
    # No APP_ENV is production: a server started with no configuration fails closed
    # (no real SECRET_KEY, no start). .flaskenv sets development for the flask command.
    name = config_name or os.environ.get("APP_ENV") or "production"
    if name not in CONFIGS:
        raise ConfigurationError(
            f"APP_ENV={name!r} is not one of: {', '.join(CONFIGS)}"
        )
    config_class = CONFIGS[name]
    app.config.from_object(config_class)
    for name in TEXT_SETTINGS:
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    for name in LIST_SETTINGS:
        if os.environ.get(name):
            app.config[name] = [
                item.strip() for item in os.environ[name].split(",") if item.strip()
            ]
    for name in INTEGER_SETTINGS:
        if os.environ.get(name):
            app.config[name] = int(number_setting(name, os.environ[name]))
    if os.environ.get("MAIL_USE_TLS"):
        app.config["MAIL_USE_TLS"] = os.environ["MAIL_USE_TLS"].lower() in ("1", "true", "yes")
    if os.environ.get("IDLE_TIMEOUT_MINUTES"):
        minutes = number_setting("IDLE_TIMEOUT_MINUTES", os.environ["IDLE_TIMEOUT_MINUTES"])
        app.config["IDLE_TIMEOUT"] = timedelta(minutes=minutes)
    for name in NUMBER_SETTINGS:
        if os.environ.get(name):
            app.config[name] = number_setting(name, os.environ[name])
    app.config["SQLALCHEMY_DATABASE_URI"] = (
        os.environ.get("DATABASE_URL") or default_database_url(app)
    )
    app.config.setdefault("MAIL_FILE_PATH", default_mail_path(app))
    app.config.update(overrides or {})
    app.config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            name: value for name, value in app.config["SQLALCHEMY_ENGINE_OPTIONS"].items()
            if name != "pool_pre_ping"
        }
    config_class.check(app.config)


# Settings that may come from the environment, each a number of at least zero.
NUMBER_SETTINGS = [
    "MIGRATION_LOCK_TIMEOUT", "SQLITE_BACKUP_KEEP", "MIGRATION_TABLE_LOCK_TIMEOUT",
    "MIGRATION_TABLE_LOCK_RETRIES", "MIGRATION_STATEMENT_TIMEOUT",
]
# Those that are counts; the others are seconds, and may have a fraction.
COUNT_SETTINGS = ["SQLITE_BACKUP_KEEP", "MIGRATION_TABLE_LOCK_RETRIES"]
# Text settings taken from the environment as they are.
TEXT_SETTINGS = [
    "SECRET_KEY", "RATELIMIT_STORAGE_URI", "LOGIN_LIMITS", "MAIL_BACKEND", "MAIL_FILE_PATH",
    "MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER",
]
INTEGER_SETTINGS = ["MAIL_PORT", "PROXY_COUNT"]
# Comma-separated lists. TRUSTED_HOSTS (Flask's): the host names the site answers to; a
# request naming another gets 400, as the mailed links are made from the request's host.
LIST_SETTINGS = ["SECRET_KEY_FALLBACKS", "TRUSTED_HOSTS"]


def number_setting(name, value):
    try:
        number = int(value) if name in COUNT_SETTINGS else float(value)
    except ValueError:
        number = -1
    if number < 0:
        raise ConfigurationError(f"{name}={value!r} is not a number of zero or more")
    return number


def default_mail_path(app):
    return os.path.join(app.instance_path, "mail")


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
