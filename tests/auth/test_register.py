import pytest
from sqlalchemy import func, select

from project.blueprints.auth.models import User
from tests.auth.factories import UserFactory

PASSWORD = "lace weaving engine notes"
GOOD = {"name": "Ada Lovelace", "email": "ada@example.com",
        "password": PASSWORD, "confirm": PASSWORD}


def user_count(session):
    return session.scalar(select(func.count()).select_from(User))


def matches(app, user, password):
    with app.app_context():
        return user.check_password(password)


def test_registering_creates_the_account_which_works_at_once(
    app, client, post_form, login, db_session, mailbox
):
    response = post_form("/auth/register", {**GOOD, "email": "  Ada@Example.COM "})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/registered"
    user = db_session.scalar(select(User))
    assert user.email == "ada@example.com"
    assert user.password_hash.startswith("$argon2id$") and matches(app, user, PASSWORD)
    assert user.email_confirmed_at is None
    [message] = mailbox.messages()
    assert message["To"] == "ada@example.com" and message["Subject"] == "Confirm your address"
    assert login(user, password=PASSWORD).headers["Location"] == "/"


def test_the_mailed_link_confirms_the_address_and_only_that_address(
    client, post_form, db_session, mailbox
):
    post_form("/auth/register", GOOD)
    link = mailbox.link_in(mailbox.messages()[-1])
    assert client.get(link).status_code == 302
    user = db_session.scalar(select(User))
    assert user.email_confirmed_at is not None
    tampered = link[:-3] + ("abc" if not link.endswith("abc") else "xyz")
    assert client.get(tampered).status_code == 400


def test_an_address_with_an_account_gets_the_same_page_and_a_note_by_mail(
    client, post_form, db_session, mailbox
):
    """Saying "taken" would tell anyone which addresses have accounts."""
    UserFactory(email="grace@example.com")
    new = post_form("/auth/register", {**GOOD, "email": "new@example.com"})
    taken = post_form("/auth/register", {**GOOD, "email": "GRACE@example.com"})
    assert new.status_code == taken.status_code == 302
    assert new.headers["Location"] == taken.headers["Location"]
    assert user_count(db_session) == 2
    note = mailbox.messages()[-1]
    assert note["To"] == "grace@example.com"
    assert note["Subject"] == "Someone tried to register with your address"


@pytest.mark.parametrize("password, reason", [
    ("password1234", "This is a very common password."),
    ("zzzzzzzzzzzzzzzz", "Repeats like"),
    ("adalovelace1", "easy to guess"),
])
def test_a_password_easy_to_guess_is_refused_with_the_reason(
    post_form, db_session, password, reason
):
    response = post_form("/auth/register", {**GOOD, "password": password, "confirm": password})
    assert response.status_code == 200
    assert reason in response.text
    assert user_count(db_session) == 0


@pytest.mark.parametrize("password", [
    "  spaces  are  fine  here  ", "日本語のパスワードはとても長いです", "mosaic lantern orbit " + "é" * 235,
])
def test_any_characters_are_allowed_in_a_long_enough_password(
    app, post_form, db_session, password
):
    response = post_form("/auth/register", {**GOOD, "password": password, "confirm": password})
    assert response.status_code == 302, response.text
    assert matches(app, db_session.scalar(select(User)), password)


def test_a_password_typed_in_another_unicode_form_still_matches(app, post_form, db_session):
    composed, decomposed = "caf\u00e9 au lait tous les matins", "cafe\u0301 au lait tous les matins"
    post_form("/auth/register", {**GOOD, "password": composed, "confirm": composed})
    assert matches(app, db_session.scalar(select(User)), decomposed)


@pytest.mark.parametrize(
    "change, error",
    [
        ({"name": ""}, "This field is required."),
        ({"email": ""}, "This field is required."),
        ({"password": "", "confirm": ""}, "This field is required."),
        ({"email": "not-an-email"}, "Invalid email address."),
        ({"name": "x" * 65}, "Field cannot be longer than 64 characters."),
        ({"password": "short", "confirm": "short"}, "Use between 12 and 256 characters"),
        ({"password": "y" * 257, "confirm": "y" * 257}, "Use between 12 and 256 characters"),
        ({"confirm": "something-else"}, "Passwords must match."),
    ],
)
def test_bad_input_gets_a_form_error_and_creates_nothing(post_form, db_session, change, error):
    response = post_form("/auth/register", {**GOOD, **change})
    assert response.status_code == 200
    assert error in response.text
    assert user_count(db_session) == 0


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


def test_an_email_registered_by_a_concurrent_request_gets_the_note(
    post_form, db_session, monkeypatch, mailbox
):
    """Two sign-ups race: both pass the look-up, and the database's unique constraint decides."""
    UserFactory(email="ada@example.com")
    real_scalar = db_session.scalar
    lookups = []

    def first_lookup_misses(*args, **kwargs):
        lookups.append(args)
        return None if len(lookups) == 1 else real_scalar(*args, **kwargs)

    monkeypatch.setattr(db_session, "scalar", first_lookup_misses)
    response = post_form("/auth/register", GOOD)
    monkeypatch.undo()
    assert response.status_code == 302
    assert user_count(db_session) == 1
    assert mailbox.messages()[-1]["Subject"] == "Someone tried to register with your address"
