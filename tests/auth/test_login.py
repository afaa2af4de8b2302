import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from project.blueprints.auth.models import User
from tests.auth.factories import UserFactory
from tests.conftest import CSRF_INPUT


def test_the_right_password_logs_in_and_lands_on_the_home_page(client, login):
    user = UserFactory(name="Grace Hopper")
    response = login(user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Grace Hopper" in client.get("/account/").text


def test_wrong_password_and_unknown_email_get_the_same_answer(client, login):
    user = UserFactory()
    wrong_password = login(user, password="not-the-password")
    unknown_email = login(UserFactory.build(email="nobody@example.com"))
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert "Invalid email or password." in wrong_password.text
    assert CSRF_INPUT.sub("", wrong_password.text.replace("nobody@example.com", user.email)) == \
        CSRF_INPUT.sub("", unknown_email.text.replace("nobody@example.com", user.email))
    assert client.get("/account/").status_code == 302


def test_an_account_without_a_password_cannot_log_in(client, login):
    user = UserFactory(password_hash=None)
    assert "Invalid email or password." in login(user, password="anything").text
    assert client.get("/account/").status_code == 302


@pytest.mark.parametrize(
    "data, error",
    [
        ({"email": "", "password": ""}, "This field is required."),
        ({"email": "x" * 300, "password": "p"}, "Field cannot be longer than 254 characters."),
    ],
)
def test_empty_or_oversized_fields_get_form_errors(post_form, data, error):
    response = post_form("/auth/login", data)
    assert response.status_code == 200
    assert error in response.text


def test_the_profile_needs_a_login_and_comes_back_after_it(client, login):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=%2Faccount%2F"
    user = UserFactory()
    after = login(user, page="/auth/login?next=%2Faccount%2F",
                  query_string={"next": "/account/?tab=1"})
    assert after.headers["Location"] == "/account/?tab=1"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "///evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "evil.example",
    ],
)
def test_next_that_leaves_the_site_is_ignored(login, target):
    response = login(UserFactory(), query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_every_form_post_needs_the_csrf_token(client):
    user = UserFactory()
    for path, data in [
        ("/auth/login", {"email": user.email, "password": "x"}),
        ("/auth/register", {"name": "n", "email": "n@example.com", "password": "p" * 8,
                            "confirm": "p" * 8}),
        ("/auth/logout", {}),
        ("/account/password", {"current_password": "x", "new_password": "y" * 8,
                               "confirm": "y" * 8}),
    ]:
        response = client.post(path, data=data)
        assert response.status_code == 400, path
        assert "This form was open too long, or your session ended" in response.text


def test_login_starts_a_fresh_session(client, login):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    login(UserFactory())
    with client.session_transaction() as session:
        assert "planted" not in session


def test_a_logged_in_user_visiting_login_goes_to_the_home_page(client, login):
    login(UserFactory())
    assert client.get("/auth/login").headers["Location"] == "/"
    assert client.get("/auth/register").headers["Location"] == "/"


def test_request_bodies_have_a_size_limit(client):
    response = client.post("/auth/login", data={"email": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413


def test_the_session_carries_the_rotating_token_not_the_id(client, login, db_session):
    user = UserFactory()
    login(user)
    with client.session_transaction() as session:
        stored = session["_user_id"]
    token, _, issued = stored.partition(".")
    assert token == db_session.scalar(select(User.session_token).where(User.id == user.id))
    assert issued.isdigit() and str(user.id) not in (token, stored)


@pytest.mark.parametrize("who", ["known email", "unknown email", "account without a password"])
def test_every_login_attempt_costs_exactly_one_password_check(login, monkeypatch, who):
    """So the time an answer takes does not tell which emails have accounts."""
    checks = []
    real_verify = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify",
                        lambda *args: checks.append(args) or real_verify(*args))
    user = {
        "known email": lambda: UserFactory(),
        "unknown email": lambda: UserFactory.build(email="nobody@example.com"),
        "account without a password": lambda: UserFactory(password_hash=None),
    }[who]()
    response = login(user, password="not-the-password")
    assert "Invalid email or password." in response.text
    assert len(checks) == 1


def test_pages_refuse_to_be_framed_by_other_sites(client):
    response = client.get("/auth/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_nul_character_in_the_login_email_is_a_form_error(post_form):
    response = post_form("/auth/login", {"email": "a\x00@example.com", "password": "x"})
    assert response.status_code == 200
    assert "This field cannot contain a NUL character." in response.text


def test_an_address_spelt_with_accents_is_not_the_account(client, login):
    """MariaDB's default collation finds 'ada@example.com' for 'ádà@example.com': each
    spelling would be an account of its own to the throttle, and all guess one password."""
    user = UserFactory(email="ada@example.com")
    response = login(UserFactory.build(email="ádà@example.com"))
    assert "Invalid email or password." in response.text
    assert client.get("/account/").status_code == 302
    assert login(user).status_code == 302
