import pytest
from sqlalchemy import func, select

from project.blueprints.auth.models import User
from tests.auth.factories import UserFactory

GOOD = {"name": "Ada Lovelace", "email": "ada@example.com",
        "password": "analytical-engine", "confirm": "analytical-engine"}


def user_count(session):
    return session.scalar(select(func.count()).select_from(User))


def test_registering_creates_the_account_and_logs_in(client, post_form, db_session):
    response = post_form("/auth/register", {**GOOD, "email": "  Ada@Example.COM "})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/profile"
    assert "Ada Lovelace" in client.get("/auth/profile").text
    user = db_session.scalar(select(User))
    assert user.email == "ada@example.com"
    assert user.password_hash != GOOD["password"] and user.check_password(GOOD["password"])


@pytest.mark.parametrize(
    "change, error",
    [
        ({"name": ""}, "This field is required."),
        ({"email": ""}, "This field is required."),
        ({"password": "", "confirm": ""}, "This field is required."),
        ({"email": "not-an-email"}, "Invalid email address."),
        ({"name": "x" * 65}, "Field cannot be longer than 64 characters."),
        ({"password": "short", "confirm": "short"}, "Field must be between 8 and 128"),
        ({"confirm": "something-else"}, "Passwords must match."),
    ],
)
def test_bad_input_gets_a_form_error_and_creates_nothing(post_form, db_session, change, error):
    response = post_form("/auth/register", {**GOOD, **change})
    assert response.status_code == 200
    assert error in response.text
    assert user_count(db_session) == 0


def test_an_email_already_registered_is_refused_whatever_its_case(post_form, db_session):
    UserFactory(email="ada@example.com")
    response = post_form("/auth/register", {**GOOD, "email": "ADA@example.com"})
    assert response.status_code == 200
    assert "An account with this email already exists." in response.text
    assert user_count(db_session) == 1


def test_a_name_of_64_characters_fits_on_every_backend(client, post_form, db_session):
    response = post_form("/auth/register", {**GOOD, "name": "é" * 64})
    assert response.status_code == 302
    assert db_session.scalar(select(User.name)) == "é" * 64


@pytest.mark.parametrize("field", ["name", "email", "password"])
def test_a_nul_character_gets_a_form_error_on_every_backend(post_form, db_session, field):
    value = {"password": "pass\x00word", "email": "a\x00@example.com"}.get(field, "A\x00da")
    data = {**GOOD, field: value, **({"confirm": value} if field == "password" else {})}
    response = post_form("/auth/register", data)
    assert response.status_code == 200
    assert "This field cannot contain a NUL character." in response.text
    assert user_count(db_session) == 0


def test_an_email_registered_by_a_concurrent_request_is_a_form_error(
    post_form, db_session, monkeypatch
):
    """Two sign-ups race: both pass the look-up, and the database's unique constraint decides."""
    UserFactory(email="ada@example.com")
    monkeypatch.setattr(db_session, "scalar", lambda *args, **kwargs: None)
    response = post_form("/auth/register", GOOD)
    monkeypatch.undo()
    assert response.status_code == 200
    assert "An account with this email already exists." in response.text
    assert user_count(db_session) == 1
