"""One factory call gives a consistent world: a task's team, owner and assignee come with it."""
import pytest

from project.blueprints.teams.models import Role
from tests.auth.factories import UserFactory
from tests.tasks.factories import TaskFactory
from tests.teams.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.usefixtures("db_session")


def roles(team):
    return {(membership.user, membership.role) for membership in team.memberships}


def test_a_team_comes_with_its_owner():
    owner = UserFactory()
    assert roles(TeamFactory(owner=owner)) == {(owner, Role.OWNER)}
    assert [role for _, role in roles(TeamFactory())] == [Role.OWNER]


def test_a_membership_comes_with_a_user_and_a_team_that_has_an_owner():
    membership = MembershipFactory()
    assert membership.role is Role.MEMBER
    assert {role for _, role in roles(membership.team)} == {Role.OWNER, Role.MEMBER}


def test_a_tasks_assignee_is_a_member_of_its_team():
    task = TaskFactory()
    assert (task.assignee, Role.MEMBER) in roles(task.team)


def test_a_given_assignee_joins_the_team_once():
    team = TeamFactory()
    outsider = UserFactory()
    TaskFactory(team=team, assignee=outsider)
    TaskFactory(team=team, assignee=outsider)
    assert [user for user, _ in roles(team)].count(outsider) == 1


def test_an_unassigned_task_adds_nobody():
    task = TaskFactory(assignee=None)
    assert task.assignee is None and len(task.team.memberships) == 1
