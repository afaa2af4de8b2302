"""Every error a person can meet is a page in the site's layout, in words, with a way back."""
import pytest
from sqlalchemy import update

from project import create_app
from project.blueprints.tasks import views as task_views
from project.blueprints.tasks.models import Task
from project.extensions import db, limiter
from tests.auth.factories import UserFactory
from tests.tasks.factories import TaskFactory
from tests.teams.factories import MembershipFactory


def assert_error_page(response, status, words):
    assert response.status_code == status
    assert response.content_type == "text/html; charset=utf-8"
    page = response.text
    assert f'data-status="{status}"' in page and words in page
    # In the layout: the site's navigation and stylesheet, and a link home.
    assert 'id="site-nav"' in page and "vendor/pico/pico.min.css" in page
    assert 'id="error-home" href="/"' in page or 'href="/" role="button"' in page
    assert "Traceback" not in page and "Werkzeug" not in page


def test_400_for_a_nul_character_in_the_address(client):
    assert_error_page(client.get("/?q=%00"), 400, "A NUL character cannot appear")


def test_403_for_a_member_managing_a_team(client, login):
    membership = MembershipFactory()
    login(membership.user)
    assert_error_page(client.get(f"/teams/{membership.team.slug}/delete"), 403,
                      "You are not allowed to do that.")


def test_404_for_an_address_that_leads_nowhere(client):
    assert_error_page(client.get("/no/such/page"), 404, "There is nothing here.")


def test_405_for_a_get_of_a_post_only_address(client):
    assert_error_page(client.get("/auth/logout"), 405, "That action is not possible here.")


def test_409_for_a_task_changed_by_someone_else_meanwhile(
        client, login, post_form, monkeypatch, db_session):
    task = TaskFactory()
    login(task.assignee)
    token_page = f"/tasks/{task.id}"
    found = task_views.task_or_404

    def changed_meanwhile(task_id):
        loaded = found(task_id)
        # Another request saves the task between this one's read and its write.
        db.session.execute(update(Task).where(Task.id == task_id)
                           .values(version=Task.version + 1)
                           .execution_options(synchronize_session=False))
        return loaded

    monkeypatch.setattr(task_views, "task_or_404", changed_meanwhile)
    response = post_form(f"/tasks/{task.id}/move", {"status": "done"}, page=token_page)
    assert_error_page(response, 409, "Someone else changed this at the same moment")


def test_413_for_a_request_too_large(client):
    response = client.post("/auth/login", data={"email": "x" * (2 * 1024 * 1024)})
    assert_error_page(response, 413, "What you sent is too large.")


def test_429_for_too_many_attempts(app, login):
    usual = app.config["LOGIN_LIMITS"]
    app.config["LOGIN_LIMITS"] = "1 per day"
    limiter.reset()
    try:
        user = UserFactory()
        login(user, password="a wrong guess")
        assert_error_page(login(user, password="another guess"), 429, "Too many attempts.")
    finally:
        app.config["LOGIN_LIMITS"] = usual
        limiter.reset()


@pytest.fixture
def failing_app(database_url):
    """An app like production in one respect: an exception in a view is not re-raised."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url,
                                 "PROPAGATE_EXCEPTIONS": False})

    @app.get("/fails")
    def fails():
        raise RuntimeError("a bug")

    yield app
    with app.app_context():
        db.engine.dispose()


def test_500_for_an_exception_in_a_view(failing_app):
    response = failing_app.test_client().get("/fails")
    assert_error_page(response, 500, "Something went wrong on our side")
    assert "a bug" not in response.text


def test_an_error_page_links_back_to_the_page_the_person_came_from(client, login):
    login(UserFactory())
    response = client.get("/teams/no-such-team/", headers={"Referer": "http://localhost/teams/"})
    assert response.status_code == 404
    assert 'id="error-back"' in response.text and 'href="/teams/"' in response.text


def test_an_error_page_never_links_back_off_the_site(client):
    response = client.get("/no/such/page", headers={"Referer": "https://evil.example/"})
    assert "evil.example" not in response.text and 'id="error-back"' not in response.text
