"""The home page: the way in for a visitor; for a user, their open tasks by due date, their teams
and their invitations; for a new user, what to do first."""
import datetime
import random
import re

from sqlalchemy import update

from project.blueprints.auth.models import User
from project.blueprints.tasks.models import Status
from tests.auth.factories import UserFactory
from tests.tasks.factories import TaskFactory
from tests.teams.factories import MembershipFactory, TeamFactory


def test_a_visitor_is_offered_to_log_in_or_register(client):
    page = client.get("/").text
    assert 'href="/auth/login"' in page and 'href="/auth/register"' in page


def test_a_logged_in_user_is_greeted_by_name(client, login):
    login(UserFactory(name="Margaret Hamilton"))
    page = client.get("/").text
    assert "Hello, Margaret Hamilton" in page
    assert 'href="/auth/login"' not in page


def test_a_new_user_is_told_the_next_step(client, login):
    login(UserFactory())
    page = client.get("/").text
    assert 'id="next-step"' in page
    assert '<a href="/teams/new" id="create-first-team">' in page
    assert "ask its owner to invite" in page


def test_my_open_tasks_come_soonest_due_first_and_undated_last(client, login):
    me = UserFactory()
    team = TeamFactory(owner=me)
    TaskFactory(team=team, assignee=me, title="Later", due_date=datetime.date(2026, 12, 1))
    TaskFactory(team=team, assignee=me, title="Undated", due_date=None)
    TaskFactory(team=team, assignee=me, title="Sooner", due_date=datetime.date(2026, 3, 1))
    TaskFactory(team=team, assignee=me, title="Finished", status=Status.DONE)
    TaskFactory(team=team, assignee=None, title="Nobody's")
    TaskFactory(title="In another team")
    login(me)
    page = client.get("/").text
    assert page.index("Sooner") < page.index("Later") < page.index("Undated")
    for absent in ("Finished", "Nobody's", "In another team"):
        assert absent not in page
    assert 'id="next-step"' not in page


def test_my_teams_are_listed_with_their_slugs_so_two_of_a_name_differ(client, login):
    me = UserFactory()
    first = TeamFactory(owner=me, name="Blue", slug="blue")
    MembershipFactory(user=me, team=TeamFactory(name="Blue", slug="blue-2"))
    login(me)
    page = client.get("/").text
    assert page.count(">Blue</a>") == 2
    assert "<code>blue</code>" in page and "<code>blue-2</code>" in page
    assert f'href="/teams/{first.slug}/"' in page


def test_open_invitations_show_once_the_address_is_confirmed(
        app, client, login, post_form, db_session):
    owner = UserFactory()
    team = TeamFactory(owner=owner, name="Engines")
    login(owner)
    post_form(f"/teams/{team.slug}/members", {"email": "grace@example.com"},
              page=f"/teams/{team.slug}/")
    grace = UserFactory(email="grace@example.com")
    browser = app.test_client()
    login(grace, client=browser)
    # An unconfirmed account may not be the address's owner's: no invitation shown.
    assert 'id="invitations"' not in browser.get("/").text

    db_session.execute(update(User).where(User.id == grace.id)
                       .values(email_confirmed_at=datetime.datetime(2026, 1, 1)))
    db_session.commit()
    page = browser.get("/").text
    assert 'id="invitations"' in page and "Engines" in page
    link = page.split('href="/teams/invitations/')[1].split('"')[0]
    assert "Join Engines?" in browser.get(f"/teams/invitations/{link}").text
    # Nobody else sees it.
    assert 'id="invitations"' not in client.get("/").text


def test_my_open_tasks_read_in_order_across_pages_statuses_and_teams(client, login):
    """To do and Doing mixed, soonest due first, undated last, then oldest first, from one
    page to the next; several due the same day."""
    me = UserFactory()
    teams = [TeamFactory(owner=me), TeamFactory(owner=me)]
    chance = random.Random(4)
    days = [None] + [datetime.date(2026, 12, day) for day in range(1, 5)]
    tasks = [TaskFactory(team=chance.choice(teams), assignee=me, title=f"Task {number}",
                         status=chance.choice(list(Status)), due_date=chance.choice(days))
             for number in range(75)]
    login(me)
    pages = [client.get(f"/?page={number}").text for number in (1, 2, 3)]
    shown = [title for page in pages
             for title in re.findall(r'class="task-link"[^>]*>([^<]+)</a>', page)]
    assert shown == [task.title for task in sorted(
        (task for task in tasks if task.status is not Status.DONE),
        key=lambda task: (task.due_date is None, task.due_date or datetime.date.min, task.id))]
    assert 41 <= len(shown) <= 60 and 'rel="next"' not in pages[2]


def test_open_tasks_come_twenty_a_page(client, login):
    me = UserFactory()
    TaskFactory.create_batch(21, team=TeamFactory(owner=me), assignee=me, due_date=None)
    login(me)
    first = client.get("/").text
    assert first.count('class="task-link"') == 20 and 'rel="next" href="/?page=2"' in first
    assert client.get("/?page=2").text.count('class="task-link"') == 1
