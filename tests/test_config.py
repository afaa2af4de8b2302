from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import make_url, text

from project import create_app
from project.blueprints.auth.models import User
from project.config import ConfigurationError
from project.extensions import db
from tests.auth.factories import UserFactory
from tests.cli import run_cli
from tests.databases import backend_name

REAL_KEY = "a" * 64


def test_production_refuses_the_default_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="without a real SECRET_KEY"):
        create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_refuses_debug(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", REAL_KEY)
    with pytest.raises(ConfigurationError, match="debug on"):
        create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://", "DEBUG": True})


def test_production_starts_with_a_real_key_and_secure_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", REAL_KEY)
    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == REAL_KEY
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_with_no_app_env_the_app_is_production_and_refuses_to_run_on_no_key(monkeypatch):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="without a real SECRET_KEY"):
        create_app(overrides={"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_refuses_a_short_secret_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k" * 31)
    with pytest.raises(ConfigurationError, match="shorter than 32 characters"):
        create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_old_keys_are_listed_in_secret_key_fallbacks(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", REAL_KEY)
    monkeypatch.setenv("SECRET_KEY_FALLBACKS", "old-key-one, old-key-two")
    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY_FALLBACKS"] == ["old-key-one", "old-key-two"]


def test_a_session_signed_with_a_rotated_out_key_still_works(monkeypatch, app, client, login):
    login(UserFactory())
    old_key = app.config["SECRET_KEY"]
    app.config.update(SECRET_KEY="n" * 64, SECRET_KEY_FALLBACKS=[old_key])
    try:
        assert client.get("/account/").status_code == 200
    finally:
        app.config.update(SECRET_KEY=old_key, SECRET_KEY_FALLBACKS=[])


def test_an_unknown_environment_name_is_refused(monkeypatch):
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(ConfigurationError, match="APP_ENV='staging' is not one of"):
        create_app()


def test_database_url_chooses_the_database_and_our_drivers(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example:5432/app")
    assert create_app("development").config["SQLALCHEMY_DATABASE_URI"] == \
        "postgresql+psycopg://u:p@db.example:5432/app"
    monkeypatch.setenv("DATABASE_URL", "mysql://u@db.example/app")
    assert create_app("development").config["SQLALCHEMY_DATABASE_URI"] == \
        "mysql+pymysql://u@db.example/app"


def test_without_database_url_the_database_is_a_sqlite_file_in_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app("development")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{app.instance_path}/app.db"


def test_passwords_are_hashed_with_argon2id_at_owasps_cost_and_the_column_holds_them(
    app, db_session
):
    production_like = create_app("development", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    user = User(name="Argon", email="argon@example.com")
    with production_like.app_context():
        user.set_password("a long enough password")
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    db_session.add(user)
    db_session.commit()
    db_session.expire_all()
    stored = db_session.get(User, user.id)
    with production_like.app_context():
        assert stored.check_password("a long enough password")


@pytest.mark.parametrize(
    "env, message",
    [
        ({"APP_ENV": "production", "SECRET_KEY": ""}, "without a real SECRET_KEY"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL cannot be parsed"),
        ({"APP_ENV": "staging"}, "APP_ENV='staging' is not one of"),
        ({"APP_ENV": "production", "SECRET_KEY": REAL_KEY, "FLASK_DEBUG": "1"},
         "production refuses to start with debug on"),
        ({"DATABASE_URL": "postgresql+psycopg2://u@h/db"},
         "DATABASE_URL names 'postgresql+psycopg2', which this project does not install"),
        ({"DATABASE_URL": "oracle://u@h/db"}, "DATABASE_URL names 'oracle'"),
    ],
)
@pytest.mark.parametrize("via", ["flask", "manage.py"])
def test_the_cli_says_what_is_wrong_in_one_line(env, message, via):
    result = run_cli("routes", env=env, via=via)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr


@pytest.mark.skipif(backend_name() != "postgresql", reason="TimeZone is PostgreSQL's")
def test_postgresql_stores_times_in_utc_on_a_server_set_to_another_zone(database_url):
    berlin = make_url(database_url).update_query_dict({"options": "-c timezone=Europe/Berlin"})
    app = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": berlin.render_as_string(hide_password=False)})
    with app.app_context():
        # What a `server_default=func.now()` stores in a naive column.
        stored = db.session.scalar(text("SELECT CAST(now() AS timestamp)"))
        db.session.remove()
        db.engine.dispose()
    assert abs(stored - datetime.now(UTC).replace(tzinfo=None)) < timedelta(minutes=5)
