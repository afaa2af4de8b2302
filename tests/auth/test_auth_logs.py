"""Auth events are logged as structured lines: event, user id, request id; never a secret."""
import json
import logging

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from project import create_app
from project.extensions import db
from tests.auth.factories import DEFAULT_PASSWORD, UserFactory


@pytest.fixture
def auth_events(caplog):
    caplog.set_level(logging.INFO, logger="project.auth")

    def events():
        return [(record.event, record.user_id, getattr(record, "email", None))
                for record in caplog.records if record.name == "project.auth"]
    return events


def everything_logged(caplog):
    return " ".join(f"{record.getMessage()} {vars(record)}" for record in caplog.records)


def test_login_logout_and_a_failed_login_are_logged_with_the_user_id(
        client, login, post_form, auth_events, caplog):
    user = UserFactory(email="ada.lovelace@example.com")
    login(user, password="not the password")
    login(user)
    post_form("/auth/logout", {}, page="/account/")
    assert auth_events() == [
        ("login.failed", user.id, "a***@example.com"),
        ("login.succeeded", user.id, None),
        ("logout", user.id, None),
    ]
    logged = everything_logged(caplog)
    assert "not the password" not in logged and DEFAULT_PASSWORD not in logged
    assert "ada.lovelace@example.com" not in logged and user.session_token not in logged


def test_account_changes_are_logged_without_the_passwords(post_form, auth_events, caplog):
    first, second = "mosaic lantern orbit", "granite orchard whistle"
    post_form("/auth/register", {"name": "Grace", "email": "grace@example.com",
                                 "password": first, "confirm": first})
    post_form("/auth/login", {"email": "grace@example.com", "password": first})
    post_form("/account/password", {"current_password": "wrong guess", "new_password": second,
                                    "confirm": second})
    post_form("/account/password", {"current_password": first, "new_password": second,
                                    "confirm": second})
    assert [event for event, _, _ in auth_events()] == [
        "account.registered", "login.succeeded", "password.change_refused", "password.changed"
    ]
    assert len({user_id for _, user_id, _ in auth_events()}) == 1
    logged = everything_logged(caplog)
    assert not [secret for secret in (first, second, "wrong guess") if secret in logged]


def test_production_logs_json_lines_with_the_request_id(database_url, capsys):
    app = create_app("production", {"SECRET_KEY": "a-real-one-" + "k" * 32,
                                    "SQLALCHEMY_DATABASE_URI": database_url,
                                    "WTF_CSRF_ENABLED": False})
    response = app.test_client().post(
        "/auth/login", data={"email": "Someone@Example.com", "password": "guess"},
        headers={"X-Request-ID": "req-42"},
    )
    assert response.headers["X-Request-ID"] == "req-42"
    with app.app_context():
        db.engine.dispose()
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    failed = next(line for line in lines if line["message"] == "login.failed")
    assert (failed["levelname"], failed["request_id"], failed["email"], failed["user_id"]) == (
        "WARNING", "req-42", "s***@example.com", None
    )
    assert "guess" not in json.dumps(lines)


def test_a_request_without_an_id_gets_one_and_a_hostile_one_is_replaced(client):
    made = client.get("/healthz").headers["X-Request-ID"]
    replaced = client.get("/healthz", headers={"X-Request-ID": "<script>x</script>"}).headers
    assert len(made) == 32 and replaced["X-Request-ID"] not in ("<script>x</script>", made)


def test_production_errors_hide_the_sql_parameters(database_url):
    app = create_app("production", {"SECRET_KEY": "a-real-one-" + "k" * 32,
                                    "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        with pytest.raises(DBAPIError) as error, db.engine.connect() as connection:
            connection.execute(sa.text("SELECT * FROM no_such_table WHERE token = :token"),
                               {"token": "session-token-value"})
        db.engine.dispose()
    assert "session-token-value" not in str(error.value)
    assert "hide_parameters" in str(error.value)
