"""The account page: changes that ask for the current password, sessions, deletion."""
import time

from sqlalchemy import select

from project.blueprints.auth.models import User
from project.blueprints.teams.models import Membership, Role, Team
from tests.auth.factories import DEFAULT_PASSWORD, UserFactory
from tests.conftest import csrf_token_from
from tests.tasks.factories import TaskFactory
from tests.teams.factories import MembershipFactory, TeamFactory


def test_changing_the_address_waits_for_the_link_sent_to_it(
    client, login, post_form, mailbox, db_session
):
    user = UserFactory(email="old@example.com")
    login(user)
    wrong = post_form("/account/email", {"email": "new@example.com",
                                         "current_password": "not it"})
    assert "That is not your current password." in wrong.text
    post_form("/account/email", {"email": "New@Example.com",
                                 "current_password": DEFAULT_PASSWORD})
    assert db_session.get(User, user.id).email == "old@example.com"
    link_mail, notice = mailbox.messages()
    assert link_mail["To"] == "new@example.com" and notice["To"] == "old@example.com"
    client.get(mailbox.link_in(link_mail))
    assert db_session.get(User, user.id).email == "new@example.com"


def test_an_address_that_has_an_account_gets_a_note_and_nothing_changes(
    login, post_form, mailbox, db_session
):
    UserFactory(email="taken@example.com")
    user = UserFactory()
    login(user)
    answer = post_form("/account/email", {"email": "taken@example.com",
                                          "current_password": DEFAULT_PASSWORD})
    assert answer.status_code == 302
    [note] = mailbox.messages()
    assert note["To"] == "taken@example.com" and "tried to move" in note["Subject"]


def test_address_changes_and_new_links_are_throttled_per_account_from_every_address(
    limits, app, login, post_form, mailbox
):
    """Each mails an address the user types (or one they registered with and never
    confirmed): without a count per account, many client addresses mail it without end."""
    user = UserFactory()
    answers = []
    for number in range(2):
        device = app.test_client()
        address = {"REMOTE_ADDR": f"10.0.0.{number}"}
        login(user, client=device, environ_base=address)
        answers.append(post_form("/account/email", {"email": f"new{number}@example.com",
                                                    "current_password": DEFAULT_PASSWORD},
                                 client=device, environ_base=address).status_code)
        answers.append(post_form("/auth/confirm", {}, page="/account/", client=device,
                                 environ_base=address).status_code)
    # One count for every mail the account has the site send.
    assert answers == [302, 302, 302, 429]


def test_log_out_everywhere_ends_remembered_sessions_on_other_devices(
    app, client, login, post_form
):
    user = UserFactory()
    phone = app.test_client()
    login(user, remember=True, client=phone)
    login(user)
    post_form("/auth/logout-everywhere", {}, page="/account/")
    phone.delete_cookie("session")
    assert phone.get("/account/").status_code == 302
    assert client.get("/account/").status_code == 302


def test_a_session_ends_after_the_idle_time_unless_remembered(app, login, monkeypatch):
    user = UserFactory()
    plain, remembered = app.test_client(), app.test_client()
    login(user, client=plain)
    login(user, client=remembered, remember=True)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 31 * 60)
    expired = plain.get("/account/")
    assert expired.status_code == 302
    assert expired.headers["Location"].startswith("/auth/login?next=")
    assert remembered.get("/account/").status_code == 200


def test_a_button_pressed_after_the_idle_time_returns_to_its_page_after_login(
        app, client, login, monkeypatch, db_session):
    task = TaskFactory()
    login(task.assignee)
    board = f"/tasks/team/{task.team.slug}/"
    token = csrf_token_from(client.get(board).text)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 31 * 60)
    pressed = client.post(f"/tasks/{task.id}/move", data={"csrf_token": token, "status": "done"},
                          headers={"Referer": f"http://localhost{board}"})
    assert pressed.status_code == 302
    assert pressed.headers["Location"] == f"/auth/login?next={board}"


def test_activity_keeps_a_session_alive(app, login, monkeypatch):
    user = UserFactory()
    client = app.test_client()
    login(user, client=client)
    now = time.time()
    for minutes in (20, 40, 60):
        monkeypatch.setattr(time, "time", lambda minutes=minutes: now + minutes * 60)
        assert client.get("/account/").status_code == 200


def test_deleting_the_account_asks_for_the_password_and_hands_a_team_over(
    client, login, post_form, db_session
):
    owner = UserFactory()
    team = TeamFactory(owner=owner)
    heir = MembershipFactory(team=team)
    task = TaskFactory(team=team, assignee=owner)
    login(owner)
    page = client.get("/account/delete").text
    assert f"Hand it over to {heir.user.name}" in page
    field = f"team_{team.id}"
    refused = post_form("/account/delete", {"current_password": "wrong", field: "delete"})
    assert "That is not your current password." in refused.text
    post_form("/account/delete", {"current_password": DEFAULT_PASSWORD,
                                  field: f"hand:{heir.user_id}"})
    db_session.expire_all()
    assert db_session.get(User, owner.id) is None
    assert db_session.get(Membership, (heir.team_id, heir.user_id)).role is Role.OWNER
    assert db_session.get(type(task), task.id).assignee_id is None
    assert client.get("/account/").status_code == 302


def test_deleting_the_account_can_delete_an_owned_team_instead(
    client, login, post_form, db_session
):
    owner = UserFactory()
    team_id = TeamFactory(owner=owner).id
    MembershipFactory(team_id=team_id)
    login(owner)
    post_form("/account/delete", {"current_password": DEFAULT_PASSWORD,
                                  f"team_{team_id}": "delete"})
    db_session.expire_all()
    assert db_session.get(Team, team_id) is None


def test_a_team_with_no_one_else_is_said_to_go_and_goes(client, login, post_form, db_session):
    owner = UserFactory()
    team_id = TeamFactory(owner=owner).id
    login(owner)
    assert "has no other member" in client.get("/account/delete").text
    post_form("/account/delete", {"current_password": DEFAULT_PASSWORD})
    db_session.expire_all()
    assert db_session.scalar(select(Team).where(Team.id == team_id)) is None
