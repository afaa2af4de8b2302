"""Logging out and changing the password void every cookie issued before, copies included."""
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
import time
from http.cookies import SimpleCookie
from types import SimpleNamespace

from project.blueprints.auth import models as auth_models
from project.config import ProductionConfig

from tests.auth.factories import UserFactory
from tests.conftest import csrf_token_from


def cookie_header(response, name):
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return header
    raise AssertionError(f"no {name} cookie was set")


def cookie_value(client, name):
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def logout(client):
    token = csrf_token_from(client.get("/account/").text)
    return client.post("/auth/logout", data={"csrf_token": token})


def test_logout_is_a_post_with_a_token_and_removes_the_cookies(client, login):
    login(UserFactory(), remember=True)
    assert client.get("/auth/logout").status_code == 405
    response = logout(client)
    assert response.status_code == 302
    assert client.get_cookie("remember_token") is None
    assert client.get("/account/").status_code == 302


def test_a_copied_remember_cookie_expires_on_the_server_too(app, client, login, monkeypatch):
    """The browser forgets the cookie after 14 days; a copy kept elsewhere must not work either."""
    login(UserFactory(), remember=True)
    copied = cookie_value(client, "remember_token")

    def profile_status_after(days):
        later = time.time() + timedelta(days=days).total_seconds()
        monkeypatch.setattr(auth_models, "time", SimpleNamespace(time=lambda: later))
        holder = app.test_client()
        holder.set_cookie("remember_token", copied)
        return holder.get("/account/").status_code

    assert profile_status_after(days=13) == 200
    assert profile_status_after(days=15) == 302


def test_an_account_without_a_password_cannot_be_reached_by_a_forged_cookie(app, db_session):
    """Accounts from before passwords have guessable placeholder tokens ("unset-ID")."""
    legacy = UserFactory(password_hash=None, session_token="unset-1")
    real = UserFactory()
    now = int(time.time())
    for user, expected in [(real, 200), (legacy, 302)]:
        forger = app.test_client()
        with forger.session_transaction() as session:
            session["_user_id"] = f"{user.session_token}.{now}"
            session["_fresh"] = True
        assert forger.get("/account/").status_code == expected, user


def test_a_copy_of_the_session_cookie_is_useless_after_logout(app, client, login):
    login(UserFactory())
    stolen = cookie_value(client, "session")
    logout(client)

    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/account/").status_code == 302


def test_a_copy_of_the_remember_cookie_is_useless_after_logout(app, client, login):
    login(UserFactory(), remember=True)
    stolen = cookie_value(client, "remember_token")

    # The copy works on its own while the user is logged in: it is a real credential.
    before = app.test_client()
    before.set_cookie("remember_token", stolen)
    assert before.get("/account/").status_code == 200

    logout(client)
    after = app.test_client()
    after.set_cookie("remember_token", stolen)
    assert after.get("/account/").status_code == 302


def test_changing_the_password_logs_out_every_other_session(app, client, login, post_form):
    user = UserFactory()
    other_device = app.test_client()
    login(user, client=other_device, remember=True)
    remembered = cookie_value(other_device, "remember_token")
    login(user)

    response = post_form("/account/password", {
        "current_password": "correct horse battery staple",
        "new_password": "a-brand-new-secret", "confirm": "a-brand-new-secret",
    })
    assert response.status_code == 302

    assert client.get("/account/").status_code == 200
    assert other_device.get("/account/").status_code == 302
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remembered)
    assert fresh.get("/account/").status_code == 302
    assert login(user, password="a-brand-new-secret", client=app.test_client()).status_code == 302


def test_a_wrong_current_password_changes_nothing(app, client, login, post_form):
    user = UserFactory()
    login(user)
    response = post_form("/account/password", {
        "current_password": "wrong", "new_password": "a-brand-new-secret",
        "confirm": "a-brand-new-secret",
    })
    assert "That is not your current password." in response.text
    assert client.get("/account/").status_code == 200
    assert login(user, client=app.test_client()).status_code == 302
    refused = login(user, password="a-brand-new-secret", client=app.test_client())
    assert "Invalid email or password." in refused.text


def test_cookies_are_httponly_and_samesite_lax_and_remember_is_bounded(client, login):
    response = login(UserFactory(), remember=True)
    for name in ("session", "remember_token"):
        attributes = cookie_header(response, name)
        assert "HttpOnly" in attributes and "SameSite=Lax" in attributes
        assert "Secure" not in attributes  # development and testing run on plain http
    remember = SimpleCookie(cookie_header(response, "remember_token"))["remember_token"]
    expires = parsedate_to_datetime(remember["expires"])
    lifetime = expires - datetime.now(timezone.utc)
    assert timedelta(days=13) < lifetime <= timedelta(days=14)


def test_production_cookies_are_secure(app, client, login):
    app.config.update(SESSION_COOKIE_SECURE=ProductionConfig.SESSION_COOKIE_SECURE,
                      REMEMBER_COOKIE_SECURE=ProductionConfig.REMEMBER_COOKIE_SECURE)
    try:
        response = login(UserFactory(), remember=True)
    finally:
        app.config.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)
    for name in ("session", "remember_token"):
        assert "Secure" in cookie_header(response, name)


def test_the_profile_shows_the_name_and_a_logout_form(client, login):
    login(UserFactory(name="Katherine Johnson"))
    page = client.get("/account/").text
    assert "Katherine Johnson" in page
    assert 'action="/auth/logout"' in page and 'name="csrf_token"' in page


def test_a_cookie_without_its_issue_time_means_logged_out(app, db_session):
    """A session from before cookies carried their issue time: log in again, no error."""
    user = UserFactory()
    old_format = app.test_client()
    with old_format.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
    assert old_format.get("/account/").status_code == 302
