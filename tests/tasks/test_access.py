"""A user never sees or changes a task of a team they do not belong to: 404, and nothing changes."""
import pytest

from project.blueprints.tasks.models import Status, Task
from tests.auth.factories import UserFactory
from tests.tasks.factories import TaskFactory


@pytest.fixture
def strangers_task(login):
    task = TaskFactory(title="Secret plan", status=Status.TODO)
    login(UserFactory())
    return task


def test_a_stranger_cannot_see_a_teams_tasks(client, strangers_task):
    task = strangers_task
    assert client.get(f"/tasks/team/{task.team.slug}/").status_code == 404
    assert client.get(f"/tasks/team/{task.team.slug}/new").status_code == 404
    assert client.get(f"/tasks/{task.id}/edit").status_code == 404
    assert "Secret plan" not in client.get("/tasks/").text


@pytest.mark.parametrize(
    "action, data",
    [("edit", {"title": "Taken over", "status": "done"}),
     ("move", {"status": "done"}),
     ("delete", {})],
)
def test_a_stranger_cannot_change_a_task(post_form, db_session, strangers_task, action, data):
    task = strangers_task
    response = post_form(f"/tasks/{task.id}/{action}", data, page="/teams/new")
    assert response.status_code == 404
    db_session.expire_all()
    task = db_session.get(Task, task.id)
    assert (task.title, task.status) == ("Secret plan", Status.TODO)


def test_a_stranger_cannot_add_a_task_to_a_team(post_form, db_session, strangers_task):
    team = strangers_task.team
    response = post_form(f"/tasks/team/{team.slug}/new", {"title": "Planted", "status": "todo"},
                         page="/teams/new")
    assert response.status_code == 404
    assert db_session.query(Task).filter_by(title="Planted").first() is None


def test_a_missing_task_is_404(client, login):
    login(UserFactory())
    assert client.get("/tasks/999999/edit").status_code == 404


def test_task_pages_need_a_login(client):
    task = TaskFactory()
    for path in ("/tasks/", f"/tasks/team/{task.team.slug}/", f"/tasks/{task.id}/edit"):
        assert client.get(path).headers["Location"].startswith("/auth/login?next="), path
