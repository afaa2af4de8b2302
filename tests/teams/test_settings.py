"""Team settings: rename, roles, leave and delete; every destructive step asks first, names
what goes, and can be cancelled."""
import pytest
from sqlalchemy import func, select

from project.blueprints.tasks.models import Task
from project.blueprints.teams.models import Invitation, Membership, Role, Team
from tests.auth.factories import UserFactory
from tests.tasks.factories import TaskFactory
from tests.teams.factories import MembershipFactory, TeamFactory


@pytest.fixture
def owned_team(login):
    owner = UserFactory(name="Ada")
    team = TeamFactory(owner=owner, name="Engines", slug="engines")
    login(owner)
    return owner, team


def count(session, model, **where):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model).filter_by(**where))


def role_of(session, team, user):
    session.expire_all()
    return session.get(Membership, (team.id, user.id)).role


def test_an_owner_renames_the_team_and_its_address_stays(client, post_form, db_session,
                                                         owned_team):
    owner, team = owned_team
    response = post_form("/teams/engines/settings", {"name": "Difference Engines"})
    assert response.headers["Location"] == "/teams/engines/settings"
    page = client.get(response.headers["Location"]).text
    assert "The team is now called Difference Engines; its address stays engines." in page
    db_session.expire_all()
    assert (db_session.get(Team, team.id).name, db_session.get(Team, team.id).slug) == (
        "Difference Engines", "engines")


def test_a_rename_needs_a_name(post_form, db_session, owned_team):
    response = post_form("/teams/engines/settings", {"name": "  "})
    assert response.status_code == 200 and "Give the team a name." in response.text


def test_a_member_sees_settings_to_leave_but_cannot_rename_or_delete(client, login, post_form,
                                                                     db_session):
    team = TeamFactory(name="Engines")
    login(MembershipFactory(team=team).user)
    page = client.get(f"/teams/{team.slug}/settings").text
    assert 'id="leave-team"' in page
    assert 'id="rename-form"' not in page and 'id="delete-team"' not in page
    assert post_form(f"/teams/{team.slug}/settings", {"name": "Mine now"},
                     page="/teams/new").status_code == 403
    assert client.get(f"/teams/{team.slug}/delete").status_code == 403
    assert post_form(f"/teams/{team.slug}/delete", {}, page="/teams/new").status_code == 403
    assert count(db_session, Team, id=team.id) == 1


def test_an_owner_makes_a_member_an_owner_and_back(client, post_form, db_session, owned_team):
    owner, team = owned_team
    grace = MembershipFactory(team=team, user__name="Grace").user
    page = client.get("/teams/engines/").text
    assert f'<label for="role-{grace.id}">Role of Grace</label>' in page
    post_form(f"/teams/engines/members/{grace.id}/role", {"role": "owner"}, page="/teams/engines/")
    assert role_of(db_session, team, grace) is Role.OWNER
    post_form(f"/teams/engines/members/{grace.id}/role", {"role": "member"},
              page="/teams/engines/")
    assert role_of(db_session, team, grace) is Role.MEMBER


def test_the_only_owner_cannot_stop_being_one(client, post_form, db_session, owned_team):
    owner, team = owned_team
    response = post_form(f"/teams/engines/members/{owner.id}/role", {"role": "member"},
                         page="/teams/engines/")
    assert "Ada is the only owner: make someone else an owner first." in client.get(
        response.headers["Location"]).text
    assert role_of(db_session, team, owner) is Role.OWNER


def test_a_role_no_one_can_choose_is_refused_in_words(client, post_form, db_session, owned_team):
    owner, team = owned_team
    grace = MembershipFactory(team=team).user
    response = post_form(f"/teams/engines/members/{grace.id}/role", {"role": "emperor"},
                         page="/teams/engines/")
    assert "Choose Member or Owner." in client.get(response.headers["Location"]).text
    assert role_of(db_session, team, grace) is Role.MEMBER


def test_leaving_asks_first_naming_the_tasks_that_lose_their_assignee(
        client, login, post_form, db_session):
    team = TeamFactory(name="Engines")
    me = MembershipFactory(team=team, user__name="Grace").user
    TaskFactory.create_batch(2, team=team, assignee=me)
    login(me)
    question = client.get(f"/teams/{team.slug}/leave").text
    assert "Leave Engines?" in question
    assert "<li>your membership of Engines</li>" in question
    assert "<li>the assignment of 2 tasks to Grace (the tasks stay, assigned to nobody)</li>" \
        in question
    assert f'href="/teams/{team.slug}/settings" role="button" class="secondary" ' \
           'id="cancel-link"' in question
    assert count(db_session, Membership, team_id=team.id, user_id=me.id) == 1

    response = post_form(f"/teams/{team.slug}/leave", {})
    assert response.headers["Location"] == "/"
    assert "You have left Engines." in client.get("/").text
    assert count(db_session, Membership, team_id=team.id, user_id=me.id) == 0
    assert count(db_session, Task, team_id=team.id, assignee_id=me.id) == 0
    assert count(db_session, Task, team_id=team.id) == 2
    assert client.get(f"/teams/{team.slug}/").status_code == 404


def test_the_only_owner_cannot_leave(client, post_form, db_session, owned_team):
    owner, team = owned_team
    response = client.get("/teams/engines/leave")
    assert response.headers["Location"] == "/teams/engines/settings"
    assert "You are the only owner of this team" in client.get("/teams/engines/settings").text
    post_form("/teams/engines/leave", {}, page="/teams/engines/settings")
    assert count(db_session, Membership, team_id=team.id, user_id=owner.id) == 1


def test_deleting_a_team_asks_first_naming_what_goes(client, db_session, owned_team,
                                                     post_form):
    owner, team = owned_team
    TaskFactory.create_batch(3, team=team)  # each with an assignee who joins the team
    post_form("/teams/engines/members", {"email": "grace@example.com"}, page="/teams/engines/")
    question = client.get("/teams/engines/delete").text
    assert "Delete the team Engines?" in question
    for loss in ("3 tasks of the team, with their descriptions",
                 "4 memberships: the people stay, outside the team",
                 "1 invitation not yet answered"):
        assert f"<li>{loss}</li>" in question, loss
    assert 'href="/teams/engines/settings" role="button" class="secondary" id="cancel-link"' \
        in question
    assert count(db_session, Team, id=team.id) == 1


def test_confirming_deletes_the_team_with_its_tasks_memberships_and_invitations(
        client, db_session, owned_team, post_form):
    owner, team = owned_team
    TaskFactory.create_batch(2, team=team)
    post_form("/teams/engines/members", {"email": "grace@example.com"}, page="/teams/engines/")
    response = post_form("/teams/engines/delete", {}, page="/teams/engines/delete")
    assert response.headers["Location"] == "/"
    assert "The team Engines is deleted." in client.get("/").text
    assert count(db_session, Team, id=team.id) == 0
    assert count(db_session, Task, team_id=team.id) == 0
    assert count(db_session, Membership, team_id=team.id) == 0
    assert count(db_session, Invitation, team_id=team.id) == 0
    # The people stay.
    assert db_session.get(type(owner), owner.id) is not None


def test_the_members_list_is_paginated(client, owned_team):
    owner, team = owned_team
    for _ in range(50):
        MembershipFactory(team=team)
    first = client.get("/teams/engines/").text
    assert first.count('class="member-name"') == 50
    assert 'rel="next" href="/teams/engines/?page=2"' in first
    assert client.get("/teams/engines/?page=2").text.count('class="member-name"') == 1
