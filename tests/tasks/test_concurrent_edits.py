"""Two people editing the same task: the second save overwrites nothing, and says why (409)."""
import re

import pytest
from sqlalchemy.exc import IntegrityError

from project.blueprints.tasks.models import Task
from tests.conftest import csrf_token_from
from tests.tasks.factories import TaskFactory
from tests.teams.factories import MembershipFactory

VERSION_INPUT = re.compile(r'id="version" name="version" type="hidden" value="(\d+)"')


def opened_form(client, task):
    """What a browser holds after opening the edit form: its CSRF token and version."""
    page = client.get(f"/tasks/{task.id}/edit").text
    return {"csrf_token": csrf_token_from(page), "version": VERSION_INPUT.search(page).group(1)}


def save(client, task, form, **values):
    data = {"title": task.title, "status": "todo", "assignee_id": "", "due_date": "",
            **form, **values}
    return client.post(f"/tasks/{task.id}/edit", data=data)


@pytest.fixture
def two_editors(app, login, db_session):
    task = TaskFactory(title="Write the plan", assignee=None)
    ada, grace = app.test_client(), app.test_client()
    login(MembershipFactory(team=task.team, user__name="Ada").user, client=ada)
    login(MembershipFactory(team=task.team, user__name="Grace").user, client=grace)
    return task, ada, grace


def title_of(db_session, task):
    db_session.expire_all()
    return db_session.get(Task, task.id).title


def test_the_second_of_two_saves_is_refused_with_both_versions_shown(db_session, two_editors):
    task, ada, grace = two_editors
    adas_form, graces_form = opened_form(ada, task), opened_form(grace, task)

    assert save(ada, task, adas_form, title="Plan, by Ada").status_code == 302
    response = save(grace, task, graces_form, title="Plan, by Grace", description="More.")

    assert response.status_code == 409
    assert "Someone else saved this task while you were editing it" in response.text
    # The newer value beside the one typed, and the form still holding what was typed.
    assert "<td>Plan, by Ada</td><td>Plan, by Grace</td>" in response.text
    assert 'value="Plan, by Grace"' in response.text
    assert title_of(db_session, task) == "Plan, by Ada"


def test_saving_again_from_the_conflict_page_keeps_what_was_typed(db_session, two_editors):
    task, ada, grace = two_editors
    adas_form, graces_form = opened_form(ada, task), opened_form(grace, task)
    save(ada, task, adas_form, title="Plan, by Ada")
    conflict = save(grace, task, graces_form, title="Plan, by Grace").text

    again = {"csrf_token": graces_form["csrf_token"],
             "version": VERSION_INPUT.search(conflict).group(1)}
    assert save(grace, task, again, title="Plan, by Grace").status_code == 302
    assert title_of(db_session, task) == "Plan, by Grace"


def test_one_person_saving_twice_from_fresh_forms_is_never_refused(db_session, two_editors):
    task, ada, _ = two_editors
    assert save(ada, task, opened_form(ada, task), title="First").status_code == 302
    assert save(ada, task, opened_form(ada, task), title="Second").status_code == 302
    assert title_of(db_session, task) == "Second"


def test_the_database_refuses_an_assignee_who_is_not_a_member_of_the_team(db_session):
    task = TaskFactory(assignee=None)
    outsider = MembershipFactory().user  # a member of another team only
    task.assignee = outsider
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_removing_a_member_unassigns_their_tasks_in_the_database(db_session):
    task = TaskFactory()
    membership = next(m for m in task.team.memberships if m.user_id == task.assignee_id)
    db_session.delete(membership)
    db_session.flush()
    db_session.expire_all()
    assert db_session.get(Task, task.id).assignee_id is None


def test_a_save_without_a_version_is_saved_and_counted(db_session, two_editors):
    task, ada, _ = two_editors
    form = {**opened_form(ada, task), "version": ""}
    assert save(ada, task, form, title="Plan, from an old page").status_code == 302
    assert title_of(db_session, task) == "Plan, from an old page"
    assert db_session.get(Task, task.id).version == 2
