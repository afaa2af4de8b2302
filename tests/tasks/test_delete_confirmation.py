"""Deleting a task asks first, on a page that works without JavaScript and names what goes."""
from project.blueprints.tasks.models import Task
from tests.auth.factories import UserFactory
from tests.tasks.factories import TaskFactory


def test_the_delete_link_leads_to_a_question_naming_the_task(client, login, db_session):
    task = TaskFactory(title="Write the spec", description="Pages of it.")
    login(task.assignee)
    assert f'href="/tasks/{task.id}/delete"' in client.get(f"/tasks/{task.id}").text
    question = client.get(f"/tasks/{task.id}/delete")
    assert question.status_code == 200
    page = question.text
    assert "Delete the task “Write the spec”?" in page
    assert "<li>the task “Write the spec”</li>" in page and "<li>its description</li>" in page
    assert f'<form method="post" action="/tasks/{task.id}/delete" id="confirm-form">' in page
    assert f'<a href="/tasks/{task.id}" role="button" class="secondary" id="cancel-link">' in page
    db_session.expire_all()
    assert db_session.get(Task, task.id) is not None


def test_confirming_deletes_and_returns_to_the_board(client, login, post_form, db_session):
    task = TaskFactory(title="Write the spec")
    login(task.assignee)
    response = post_form(f"/tasks/{task.id}/delete", {})
    assert response.headers["Location"] == f"/tasks/team/{task.team.slug}/"
    assert "Task “Write the spec” deleted." in client.get(response.headers["Location"]).text
    db_session.expire_all()
    assert db_session.get(Task, task.id) is None


def test_cancelling_goes_back_to_the_task_unchanged(client, login, db_session):
    task = TaskFactory(title="Keep me")
    login(task.assignee)
    page = client.get(f"/tasks/{task.id}/delete").text
    cancel = page.split('id="cancel-link"')[0].rsplit('<a href="', 1)[1].split('"')[0]
    assert "Keep me" in client.get(cancel).text
    db_session.expire_all()
    assert db_session.get(Task, task.id) is not None


def test_a_delete_without_the_token_deletes_nothing(client, login, db_session):
    task = TaskFactory()
    login(task.assignee)
    assert client.post(f"/tasks/{task.id}/delete").status_code == 400
    db_session.expire_all()
    assert db_session.get(Task, task.id) is not None


def test_a_stranger_gets_404_for_the_question(client, login):
    task = TaskFactory()
    login(UserFactory())
    assert client.get(f"/tasks/{task.id}/delete").status_code == 404
