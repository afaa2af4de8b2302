"""Members list, create, edit, move and delete their team's tasks."""
import datetime

import pytest
from sqlalchemy import select

from project.blueprints.tasks.models import Status, Task
from tests.auth.factories import UserFactory
from tests.tasks.factories import TaskFactory
from tests.teams.factories import MembershipFactory, TeamFactory


def reloaded(session, task):
    session.expire_all()
    return session.get(Task, task.id)


def test_member_sees_only_their_teams_tasks(client, login):
    mine, theirs = TaskFactory(), TaskFactory()
    login(MembershipFactory(team=mine.team).user)
    page = client.get("/tasks/").text
    assert mine.title in page and theirs.title not in page


def column(page, status):
    """The HTML of the board's column for `status`."""
    start = page.index(f'id="column-{status}"')
    return page[start:page.index("</section>", start)]


def test_the_board_shows_a_teams_tasks_in_a_column_per_status(client, login):
    team = TeamFactory()
    TaskFactory(team=team, title="Write the spec", status=Status.DONE)
    TaskFactory(team=team, title="Build it", status=Status.DOING)
    login(MembershipFactory(team=team).user)
    page = client.get(f"/tasks/team/{team.slug}/").text
    assert page.index('id="column-todo"') < page.index('id="column-doing"') \
        < page.index('id="column-done"')
    assert "Nothing here." in column(page, "todo")
    assert "Build it" in column(page, "doing") and "Write the spec" in column(page, "done")
    # Each card offers a button to each other column, none to its own.
    doing = column(page, "doing")
    assert "Move to To do</button>" in doing and "Move to Done</button>" in doing
    assert "Move to Doing</button>" not in doing


def test_a_member_creates_a_task_assigned_to_a_teammate(client, login, post_form, db_session):
    team = TeamFactory()
    me = MembershipFactory(team=team).user
    teammate = MembershipFactory(team=team, user__name="Grace").user
    login(me)
    response = post_form(f"/tasks/team/{team.slug}/new", {
        "title": "  Ship it ", "description": "All of it.", "status": "doing",
        "assignee_id": str(teammate.id), "due_date": "2026-12-24",
    })
    assert response.status_code == 302
    assert response.headers["Location"] == f"/tasks/team/{team.slug}/"
    task = db_session.scalar(select(Task))
    assert (task.team_id, task.title, task.description, task.status, task.assignee_id,
            task.due_date) == (
        team.id, "Ship it", "All of it.", Status.DOING, teammate.id, datetime.date(2026, 12, 24)
    )
    assert "Grace" in client.get(response.headers["Location"]).text


def test_a_task_needs_only_a_title(login, post_form, db_session):
    team = TeamFactory()
    login(MembershipFactory(team=team).user)
    response = post_form(f"/tasks/team/{team.slug}/new", {"title": "Think", "status": "todo"})
    assert response.status_code == 302
    task = db_session.scalar(select(Task))
    assert (task.description, task.assignee, task.due_date, task.status) == (
        None, None, None, Status.TODO
    )


@pytest.mark.parametrize(
    "change, error",
    [
        ({"title": ""}, "Give the task a title."),
        ({"title": "x" * 201}, "Field cannot be longer than 200 characters."),
        ({"status": "someday"}, "Choose a status from the list: To do, Doing or Done."),
        ({"status": ""}, "Choose a status."),
        ({"due_date": "next tuesday"}, "Give a date as year-month-day, such as 2026-12-24."),
        ({"due_date": "0001-01-01"}, "Give a date between 1900-01-01 and 2999-12-31."),
        ({"due_date": "3000-01-01"}, "Give a date between 1900-01-01 and 2999-12-31."),
        ({"assignee_id": "not-a-number"}, "Choose a member of this team, or Nobody."),
        ({"description": "x" * 5001}, "Field cannot be longer than 5000 characters."),
    ],
)
def test_bad_task_input_gets_a_form_error(login, post_form, db_session, change, error):
    team = TeamFactory()
    login(MembershipFactory(team=team).user)
    data = {"title": "Fine", "status": "todo", "assignee_id": "", "due_date": "", **change}
    response = post_form(f"/tasks/team/{team.slug}/new", data)
    assert response.status_code == 200
    assert error in response.text
    assert "could not coerce" not in response.text and "Invalid Choice" not in response.text
    assert db_session.scalar(select(Task)) is None


def test_the_assignee_must_be_a_member_of_the_team(login, post_form, db_session):
    team = TeamFactory()
    outsider = MembershipFactory().user  # a member of another team
    login(MembershipFactory(team=team).user)
    response = post_form(f"/tasks/team/{team.slug}/new",
                         {"title": "Sneaky", "status": "todo", "assignee_id": str(outsider.id)})
    assert "Choose a member of this team, or Nobody." in response.text
    assert db_session.scalar(select(Task)) is None


def test_a_member_edits_a_task(client, login, post_form, db_session):
    task = TaskFactory(title="Old title")
    login(task.assignee)
    form = client.get(f"/tasks/{task.id}/edit").text
    assert "Old title" in form and f'<option selected value="{task.assignee.id}">' in form
    response = post_form(f"/tasks/{task.id}/edit", {
        "title": "New title", "description": "", "status": "done", "assignee_id": "",
        "due_date": "",
    })
    assert response.status_code == 302
    task = reloaded(db_session, task)
    assert (task.title, task.description, task.status, task.assignee, task.due_date) == (
        "New title", None, Status.DONE, None, None
    )


def test_a_member_moves_a_task(login, post_form, db_session):
    task = TaskFactory(status=Status.TODO)
    login(task.assignee)
    response = post_form(f"/tasks/{task.id}/move", {"status": "doing"},
                         page=f"/tasks/team/{task.team.slug}/")
    assert response.headers["Location"] == f"/tasks/team/{task.team.slug}/"
    assert reloaded(db_session, task).status is Status.DOING


@pytest.mark.parametrize("data", [{"status": "finished"}, {}])
def test_a_move_to_nowhere_is_refused_with_a_message(client, login, post_form, db_session, data):
    task = TaskFactory(status=Status.DOING)
    login(task.assignee)
    response = post_form(f"/tasks/{task.id}/move", data, page=f"/tasks/team/{task.team.slug}/")
    assert response.status_code == 302
    assert "was not moved" in client.get(response.headers["Location"]).text
    assert reloaded(db_session, task).status is Status.DOING


def test_a_member_deletes_a_task(client, login, post_form, db_session):
    task = TaskFactory()
    login(task.assignee)
    response = post_form(f"/tasks/{task.id}/delete", {}, page=f"/tasks/team/{task.team.slug}/")
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Task, task.id) is None


def test_removing_a_member_unassigns_their_tasks_in_that_team_only(
        login, post_form, db_session):
    owner = UserFactory()
    team = TeamFactory(owner=owner)
    leaving = MembershipFactory(team=team).user
    here = TaskFactory(team=team, assignee=leaving)
    elsewhere = TaskFactory(assignee=leaving)
    login(owner)
    post_form(f"/teams/{team.slug}/members/{leaving.id}/remove", {}, page=f"/teams/{team.slug}/")
    assert reloaded(db_session, here).assignee is None
    assert reloaded(db_session, elsewhere).assignee_id == leaving.id
