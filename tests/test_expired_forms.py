"""A form sent after its CSRF token expired comes back with what was typed, saying why; nothing
is saved, and an action without a form of its own (delete) is simply refused."""
import time

import flask_wtf.csrf
import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from project.blueprints.tasks.models import Status, Task
from project.extensions import limiter
from tests.auth.factories import UserFactory
from tests.conftest import csrf_token_from
from tests.tasks.factories import TaskFactory
from tests.teams.factories import MembershipFactory, TeamFactory

HOUR = 60 * 60


def serializer_signed(seconds_ago):
    """itsdangerous' serializer, its signatures dated `seconds_ago` in the past."""

    class SignedEarlier(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - seconds_ago

    class SerializerSignedEarlier(URLSafeTimedSerializer):
        default_signer = SignedEarlier

    return SerializerSignedEarlier


@pytest.fixture
def opened_ago(client, monkeypatch):
    """The CSRF token of the page at `path` as if opened `seconds` ago; the session cookie
    itself is as fresh as any."""

    def token_of(path, seconds):
        with monkeypatch.context() as earlier:
            earlier.setattr(flask_wtf.csrf, "URLSafeTimedSerializer", serializer_signed(seconds))
            return csrf_token_from(client.get(path).text)

    return token_of


@pytest.fixture
def opened_long_ago(app, opened_ago):
    """The token of a page opened longer ago than tokens last (as long as a session)."""
    return lambda path: opened_ago(path, app.config["WTF_CSRF_TIME_LIMIT"] + HOUR)


def test_a_board_open_all_day_still_moves_its_tasks(client, login, db_session, opened_ago):
    task = TaskFactory(status=Status.TODO)
    login(task.assignee)
    token = opened_ago(f"/tasks/team/{task.team.slug}/", 10 * HOUR)
    response = client.post(f"/tasks/{task.id}/move", data={"csrf_token": token,
                                                           "status": "done"})
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Task, task.id).status is Status.DONE


def test_an_expired_new_task_form_comes_back_with_what_was_typed(client, login, db_session,
                                                                 opened_long_ago):
    team = TeamFactory()
    login(MembershipFactory(team=team).user)
    path = f"/tasks/team/{team.slug}/new"
    response = client.post(path, data={
        "csrf_token": opened_long_ago(path), "title": "Keep this title",
        "description": "Two lines\nof text", "status": "doing", "due_date": "2026-12-24",
    })
    assert response.status_code == 400
    page = response.text
    assert 'id="form-expired"' in page and "nothing was saved" in page
    assert 'value="Keep this title"' in page and "Two lines\nof text</textarea>" in page
    assert '<option selected value="doing">' in page and 'value="2026-12-24"' in page
    assert db_session.scalar(select(Task)) is None

    # Sent again from the page that came back, with its fresh token: saved.
    again = client.post(path, data={"csrf_token": csrf_token_from(page),
                                    "title": "Keep this title", "status": "doing"})
    assert again.status_code == 302
    assert db_session.scalar(select(Task.title)) == "Keep this title"


def test_an_expired_edit_keeps_the_edit(client, login, db_session, opened_long_ago):
    task = TaskFactory(title="Before")
    login(task.assignee)
    path = f"/tasks/{task.id}/edit"
    response = client.post(path, data={"csrf_token": opened_long_ago(path), "title": "After",
                                       "status": "todo"})
    assert response.status_code == 400 and 'value="After"' in response.text
    db_session.expire_all()
    assert db_session.get(Task, task.id).title == "Before"


def test_an_expired_login_keeps_the_address(client, opened_long_ago):
    user = UserFactory(email="ada@example.com")
    response = client.post("/auth/login", data={"csrf_token": opened_long_ago("/auth/login"),
                                                "email": user.email, "password": "whatever"})
    assert response.status_code == 400
    assert 'id="form-expired"' in response.text and 'value="ada@example.com"' in response.text
    assert client.get("/tasks/").status_code == 302  # not logged in


def test_an_expired_delete_deletes_nothing(client, login, db_session, opened_long_ago):
    task = TaskFactory()
    login(task.assignee)
    path = f"/tasks/{task.id}/delete"
    response = client.post(path, data={"csrf_token": opened_long_ago(path)})
    assert response.status_code == 400
    assert "This form was open too long, or your session ended, so nothing was done." \
        in response.text
    db_session.expire_all()
    assert db_session.get(Task, task.id) is not None


def test_a_form_sent_after_logging_out_is_not_shown_again(app, client, login, db_session):
    """The view behind a login never runs for a visitor, even to show a form again."""
    team = TeamFactory()
    login(MembershipFactory(team=team).user)
    path = f"/tasks/team/{team.slug}/new"
    token = csrf_token_from(client.get(path).text)
    client.post("/auth/logout", data={"csrf_token": token})
    response = client.post(path, data={"csrf_token": token, "title": "Ghost", "status": "todo"})
    assert response.status_code == 400
    assert 'id="form-expired"' not in response.text and "Ghost" not in response.text
    assert db_session.scalar(select(Task)) is None


def test_a_session_past_its_idle_time_ends_and_shows_no_form(
        client, login, db_session, monkeypatch):
    team = TeamFactory()
    login(MembershipFactory(team=team).user)
    path = f"/tasks/team/{team.slug}/new"
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 31 * 60)
    response = client.post(path, data={"csrf_token": "from-a-page-long-gone",
                                       "title": "Typed at an unlocked computer",
                                       "status": "todo"})
    assert response.status_code == 302
    # Sent with no Referer: no page to come back to after logging in.
    assert response.headers["Location"] == "/auth/login"
    assert db_session.scalar(select(Task)) is None


@pytest.mark.parametrize("whose", ["another team's task", "a task that does not exist"])
def test_an_expired_form_for_what_the_person_may_not_see_is_the_plain_400(
        client, login, db_session, opened_long_ago, whose):
    stranger = MembershipFactory().user
    login(stranger)
    task = TaskFactory(title="Not yours")
    task_id = task.id if whose == "another team's task" else task.id + 1000
    response = client.post(f"/tasks/{task_id}/edit", data={
        "csrf_token": opened_long_ago("/teams/new"), "title": "Taken over", "status": "done"})
    assert response.status_code == 400
    assert "This form was open too long" in response.text and "Not yours" not in response.text
    db_session.expire_all()
    assert db_session.get(Task, task.id).title == "Not yours"


def test_expired_logins_are_not_counted_as_guesses(app, client, login, opened_long_ago):
    user = UserFactory()
    usual = app.config["LOGIN_LIMITS"]
    app.config["LOGIN_LIMITS"] = "3 per day"
    limiter.reset()
    try:
        for _ in range(5):
            expired = client.post("/auth/login", data={
                "csrf_token": opened_long_ago("/auth/login"), "email": user.email,
                "password": "wrong guess"})
            assert expired.status_code == 400
        assert login(user).status_code == 302
    finally:
        app.config["LOGIN_LIMITS"] = usual
        limiter.reset()


def test_a_logout_from_a_page_open_too_long_says_so_and_asks_again(
        client, login, opened_long_ago):
    login(UserFactory())
    refused = client.post("/auth/logout", data={"csrf_token": opened_long_ago("/")})
    assert refused.status_code == 400
    assert "Log out?" in refused.text and "you are still logged in" in refused.text
    assert client.get("/account/").status_code == 200

    again = client.post("/auth/logout", data={"csrf_token": csrf_token_from(refused.text)})
    assert again.status_code == 302
    assert client.get("/account/").status_code == 302
