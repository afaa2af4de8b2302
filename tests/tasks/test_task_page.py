"""A task's own page: what it is, who does it, by when, where it stands, who changed it last."""
import datetime

from sqlalchemy import update

from project.blueprints.tasks.models import Status, Task
from tests.auth.factories import UserFactory
from tests.tasks.factories import TaskFactory
from tests.teams.factories import MembershipFactory


def test_the_task_page_shows_every_fact_of_the_task(client, login):
    task = TaskFactory(title="Ship it", status=Status.DOING, due_date=datetime.date(2026, 12, 24),
                       assignee__name="Grace Hopper")
    login(task.assignee)
    page = client.get(f"/tasks/{task.id}").text
    assert '<h1 id="task-title">Ship it</h1>' in page
    assert '<dd id="task-status">Doing</dd>' in page
    assert '<dd id="task-assignee">Grace Hopper</dd>' in page
    assert '<time datetime="2026-12-24">2026-12-24</time>' in page
    assert f'href="/tasks/{task.id}/edit"' in page and f'href="/tasks/{task.id}/delete"' in page


def test_a_description_keeps_its_line_breaks_and_is_escaped(client, login):
    task = TaskFactory(description="First line\n\n  <b>indented</b> second\nthird")
    login(task.assignee)
    page = client.get(f"/tasks/{task.id}").text
    assert ('<div class="description" id="task-description">First line\n\n'
            '  &lt;b&gt;indented&lt;/b&gt; second\nthird</div>') in page


def test_the_page_says_who_changed_the_task_last_and_when(client, login, post_form):
    task = TaskFactory(status=Status.TODO)
    editor = MembershipFactory(team=task.team, user__name="Ada Lovelace").user
    login(editor)
    post_form(f"/tasks/{task.id}/move", {"status": "done"}, page=f"/tasks/{task.id}")
    page = client.get(f"/tasks/{task.id}").text
    assert "by Ada Lovelace" in page and " UTC</time>" in page


def test_a_task_from_before_changes_were_recorded_says_so(client, login, db_session):
    task = TaskFactory()
    db_session.execute(update(Task).where(Task.id == task.id)
                       .values(updated_at=None, updated_by_id=None))
    db_session.commit()
    login(task.assignee)
    assert "not recorded" in client.get(f"/tasks/{task.id}").text


def test_creating_editing_and_moving_record_the_author(login, post_form, db_session):
    task = TaskFactory(title="Old")
    me = MembershipFactory(team=task.team).user
    login(me)
    post_form(f"/tasks/{task.id}/edit", {"title": "New", "status": "todo"})
    db_session.expire_all()
    edited = db_session.get(Task, task.id)
    assert edited.updated_by_id == me.id and edited.updated_at is not None

    post_form(f"/tasks/team/{task.team.slug}/new", {"title": "Fresh", "status": "todo"})
    fresh = db_session.query(Task).filter_by(title="Fresh").one()
    assert fresh.updated_by_id == me.id and fresh.updated_at is not None


def test_the_author_leaving_the_site_keeps_the_time(client, login, post_form, db_session):
    task = TaskFactory()
    leaver = MembershipFactory(team=task.team).user
    login(leaver)
    post_form(f"/tasks/{task.id}/move", {"status": "doing"}, page=f"/tasks/{task.id}")
    db_session.delete(leaver)
    db_session.commit()
    login(task.assignee)
    page = client.get(f"/tasks/{task.id}").text
    assert "by someone who has left" in page


def test_moving_from_the_task_page_comes_back_to_it(login, post_form):
    task = TaskFactory(status=Status.TODO)
    login(task.assignee)
    response = post_form(f"/tasks/{task.id}/move", {"status": "doing", "next": f"/tasks/{task.id}"},
                         page=f"/tasks/{task.id}")
    assert response.headers["Location"] == f"/tasks/{task.id}"


def test_a_move_never_sends_the_person_off_the_site(login, post_form):
    task = TaskFactory(status=Status.TODO)
    login(task.assignee)
    response = post_form(f"/tasks/{task.id}/move",
                         {"status": "doing", "next": "//evil.example/"}, page=f"/tasks/{task.id}")
    assert response.headers["Location"] == f"/tasks/team/{task.team.slug}/"


def test_editing_returns_to_the_task_page(login, post_form):
    task = TaskFactory()
    login(task.assignee)
    response = post_form(f"/tasks/{task.id}/edit", {"title": "Renamed", "status": "todo"})
    assert response.headers["Location"] == f"/tasks/{task.id}"


def test_a_stranger_gets_404_for_a_task_page(client, login):
    task = TaskFactory()
    login(UserFactory())
    assert client.get(f"/tasks/{task.id}").status_code == 404
    assert client.get("/tasks/2147483648").status_code == 404
