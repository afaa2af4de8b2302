"""Creating teams and seeing only one's own."""
import pytest
from sqlalchemy import select

from project.blueprints.teams.models import Membership, Role, Team
from tests.auth.factories import UserFactory
from tests.teams.factories import MembershipFactory, TeamFactory


def test_team_pages_need_a_login(client):
    team = TeamFactory()
    for path in ("/teams/", "/teams/new", f"/teams/{team.slug}/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/auth/login?next="), path


def test_the_creator_of_a_team_is_its_owner(client, login, post_form, db_session):
    user = UserFactory(name="Ada")
    login(user)
    response = post_form("/teams/new", {"name": "Analytical Engines"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/teams/analytical-engines/"
    team = db_session.scalar(select(Team).where(Team.slug == "analytical-engines"))
    assert [(m.user, m.role) for m in team.memberships] == [(user, Role.OWNER)]
    page = client.get("/teams/analytical-engines/").text
    assert "Analytical Engines" in page and "Ada" in page and "(owner)" in page


def test_two_teams_of_the_same_name_get_different_slugs(login, post_form, db_session):
    login(UserFactory())
    post_form("/teams/new", {"name": "Blue Team"}, page="/teams/new")
    second = post_form("/teams/new", {"name": "blue team!"}, page="/teams/new")
    assert second.headers["Location"] == "/teams/blue-team-2/"
    assert db_session.scalars(select(Team.slug).order_by(Team.id)).all() == [
        "blue-team", "blue-team-2"
    ]


def test_a_name_without_ascii_letters_still_gets_a_slug(login, post_form):
    login(UserFactory())
    assert post_form("/teams/new", {"name": "チーム"}).headers["Location"] == "/teams/team/"


@pytest.mark.parametrize(
    "name, error",
    [("", "Give the team a name."), ("   ", "Give the team a name."),
     ("x" * 81, "Field cannot be longer than 80 characters.")],
)
def test_a_bad_team_name_gets_a_form_error(login, post_form, db_session, name, error):
    login(UserFactory())
    response = post_form("/teams/new", {"name": name})
    assert response.status_code == 200
    assert error in response.text
    assert db_session.scalar(select(Team)) is None


def test_the_team_list_shows_only_my_teams_with_my_role(client, login):
    mine = MembershipFactory(team__name="Ours")
    theirs = TeamFactory(name="Theirs")
    login(mine.user)
    page = client.get("/teams/").text
    assert mine.team.name in page and "(member)" in page
    assert theirs.name not in page


def test_a_stranger_gets_404_for_a_team_page(client, login):
    team = TeamFactory()
    login(UserFactory())
    assert client.get(f"/teams/{team.slug}/").status_code == 404
    assert client.get("/teams/no-such-team/").status_code == 404


def test_deleting_a_user_deletes_their_memberships_not_the_team(db_session):
    membership = MembershipFactory()
    team, user = membership.team, membership.user
    db_session.delete(user)
    db_session.commit()
    db_session.expire_all()
    assert db_session.get(Team, team.id) is not None
    assert db_session.scalar(
        select(Membership).where(Membership.user_id == user.id)
    ) is None
