"""Only an owner manages who belongs to a team: invitations by mail to add, a button to remove."""
import datetime
import re

import pytest
from sqlalchemy import select

from project.blueprints.teams.models import Invitation, Membership, Role
from tests.auth.factories import UserFactory
from tests.conftest import CSRF_INPUT
from tests.teams.factories import MembershipFactory, TeamFactory

# When an invitee followed the link that confirmed their address: only then can they answer.
CONFIRMED = datetime.datetime(2026, 1, 1)


def members_of(session, team):
    session.expire_all()
    return {(m.user.email, m.role) for m in session.scalars(
        select(Membership).where(Membership.team_id == team.id)
    )}


@pytest.fixture
def owner_and_team(login):
    owner = UserFactory()
    team = TeamFactory(owner=owner)
    login(owner)
    return owner, team


def invite(post_form, team, email):
    return post_form(f"/teams/{team.slug}/members", {"email": email}, page=f"/teams/{team.slug}/")


def test_an_invitee_joins_only_when_they_accept(
    app, client, post_form, login, db_session, owner_and_team, mailbox
):
    owner, team = owner_and_team
    newcomer = UserFactory(name="Grace", email="grace@example.com", email_confirmed_at=CONFIRMED)
    response = invite(post_form, team, " Grace@Example.com ")
    assert response.status_code == 302
    assert "invited grace@example.com by mail" in client.get(response.headers["Location"]).text
    assert members_of(db_session, team) == {(owner.email, Role.OWNER)}
    [invitation] = mailbox.messages()
    assert invitation["To"] == "grace@example.com"
    link = mailbox.link_in(invitation)

    grace = app.test_client()
    login(newcomer, client=grace)
    assert f"Join {team.name}?" in grace.get(link).text
    token = CSRF_INPUT.search(grace.get(link).text).group(1)
    joined = grace.post(f"{link}/accept", data={"csrf_token": token})
    assert joined.headers["Location"] == f"/teams/{team.slug}/"
    assert members_of(db_session, team) == {
        (owner.email, Role.OWNER), (newcomer.email, Role.MEMBER)
    }
    assert grace.get(link).status_code == 404


def test_an_invitee_who_declines_does_not_join_and_the_link_is_spent(
    app, post_form, login, db_session, owner_and_team, mailbox
):
    owner, team = owner_and_team
    newcomer = UserFactory(email="grace@example.com", email_confirmed_at=CONFIRMED)
    invite(post_form, team, "grace@example.com")
    link = mailbox.link_in(mailbox.messages()[-1])
    grace = app.test_client()
    login(newcomer, client=grace)
    token = CSRF_INPUT.search(grace.get(link).text).group(1)

    declined = grace.post(f"{link}/decline", data={"csrf_token": token})

    assert declined.status_code == 302
    assert f"You declined the invitation to {team.name}." in \
        grace.get(declined.headers["Location"]).text
    assert members_of(db_session, team) == {(owner.email, Role.OWNER)}
    assert grace.get(link).status_code == 404


def test_an_invitation_to_an_address_without_an_account_looks_the_same_to_the_owner(
    client, post_form, db_session, owner_and_team, mailbox
):
    owner, team = owner_and_team
    UserFactory(email="known@example.com")
    known = invite(post_form, team, "known@example.com")
    unknown = invite(post_form, team, "unknown@example.com")
    assert known.status_code == unknown.status_code == 302
    assert [m["To"] for m in mailbox.messages()] == ["known@example.com", "unknown@example.com"]


def test_a_forwarded_invitation_does_not_let_someone_else_in(
    app, post_form, login, db_session, owner_and_team, mailbox
):
    owner, team = owner_and_team
    invite(post_form, team, "grace@example.com")
    link = mailbox.link_in(mailbox.messages()[-1])
    stranger = app.test_client()
    login(UserFactory(email="mallory@example.com"), client=stranger)
    answer = stranger.get(link)
    assert answer.status_code == 403
    assert "sent to another address" in answer.text
    assert len(members_of(db_session, team)) == 1


def test_an_account_that_has_not_confirmed_the_address_cannot_answer_for_it(
    app, post_form, login, db_session, owner_and_team, mailbox
):
    """Anyone can open an account with an address they do not read: until its link is
    followed, a forwarded invitation to that address must not let them in (or decline it)."""
    owner, team = owner_and_team
    invite(post_form, team, "grace@example.com")
    link = mailbox.link_in(mailbox.messages()[-1])
    impostor = app.test_client()
    login(UserFactory(email="grace@example.com", email_confirmed_at=None), client=impostor)
    token = CSRF_INPUT.search(impostor.get("/account/").text).group(1)
    for answer in ("accept", "decline"):
        assert impostor.post(f"{link}/{answer}", data={"csrf_token": token}).status_code == 403
    assert impostor.get(link).status_code == 403
    assert members_of(db_session, team) == {(owner.email, Role.OWNER)}
    assert db_session.scalars(select(Invitation)).all() != []


def test_a_line_break_in_a_team_name_reaches_no_mail_header(
    post_form, db_session, owner_and_team, mailbox
):
    """The subject names the team: a header cannot hold a line break (it would start a header
    of its own), and the mail library refuses one with an exception, after the invitation
    was saved."""
    owner, team = owner_and_team
    post_form(f"/teams/{team.slug}/settings", {"name": "Night\r\nBcc: all@example.com"})
    assert invite(post_form, team, "grace@example.com").status_code == 302
    [invitation] = mailbox.messages()
    assert invitation["Subject"].endswith("invites you to Night Bcc: all@example.com")
    assert invitation["Bcc"] is None


def test_invitations_are_throttled_per_owner_from_every_address(
    limits, app, post_form, login, db_session, mailbox
):
    """Each one mails an address the owner chooses, with words the owner chose (the team's
    name): unthrottled, the site's sender would be anyone's for spam."""
    owner = UserFactory()
    team = TeamFactory(owner=owner)
    answers = []
    for number in range(4):
        device = app.test_client()
        address = {"REMOTE_ADDR": f"10.0.0.{number}"}
        login(owner, client=device, environ_base=address)
        answers.append(post_form(f"/teams/{team.slug}/members", {"email": f"x{number}@example.com"},
                                 page=f"/teams/{team.slug}/", client=device,
                                 environ_base=address).status_code)
    assert answers == [302, 302, 302, 429]
    assert len(mailbox.messages()) == 3


def test_an_owner_cancels_an_invitation(client, post_form, login, db_session, owner_and_team,
                                        mailbox):
    owner, team = owner_and_team
    invite(post_form, team, "grace@example.com")
    page = client.get(f"/teams/{team.slug}/").text
    assert "grace@example.com" in page
    cancel = re.search(r'action="(/teams/[^"]+/cancel)"', page).group(1)
    cancelled = client.get(post_form(cancel, {}, page=f"/teams/{team.slug}/").headers["Location"])
    assert "The invitation to grace@example.com is cancelled." in cancelled.text
    assert "grace@example.com" not in client.get(f"/teams/{team.slug}/").text


@pytest.mark.parametrize(
    "email, error",
    [("not-an-email", "Give an email address, such as ada@example.com."),
     ("", "Give the address to invite.")],
)
def test_inviting_with_a_bad_address_is_a_form_error(
        post_form, db_session, owner_and_team, email, error, mailbox):
    owner, team = owner_and_team
    response = invite(post_form, team, email)
    assert response.status_code == 200
    assert error in response.text
    assert mailbox.messages() == []


def test_inviting_a_member_is_a_form_error(post_form, db_session, owner_and_team):
    owner, team = owner_and_team
    member = MembershipFactory(team=team).user
    response = post_form(f"/teams/{team.slug}/members", {"email": member.email},
                         page=f"/teams/{team.slug}/")
    assert f"{member.name} is already a member." in response.text
    assert len(members_of(db_session, team)) == 2


def test_an_owner_removes_a_member_after_confirming(
        client, post_form, db_session, owner_and_team):
    owner, team = owner_and_team
    member = MembershipFactory(team=team).user
    removal = f"/teams/{team.slug}/members/{member.id}/remove"
    assert f'href="{removal}"' in client.get(f"/teams/{team.slug}/").text
    question = client.get(removal)
    assert question.status_code == 200
    assert f"Remove {member.name} from {team.name}?" in question.text
    assert members_of(db_session, team) == {(owner.email, Role.OWNER), (member.email, Role.MEMBER)}
    response = post_form(removal, {})
    assert response.status_code == 302
    assert members_of(db_session, team) == {(owner.email, Role.OWNER)}


def test_removing_someone_no_longer_a_member_says_so(
    client, post_form, db_session, owner_and_team
):
    """A second click on Remove, or a second tab: a message, not an error."""
    owner, team = owner_and_team
    stranger = UserFactory()
    response = post_form(f"/teams/{team.slug}/members/{stranger.id}/remove", {},
                         page=f"/teams/{team.slug}/")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert "That person is not a member of this team." in page
    assert members_of(db_session, team) == {(owner.email, Role.OWNER)}


def test_an_owner_cannot_be_removed(client, post_form, db_session, owner_and_team):
    owner, team = owner_and_team
    response = post_form(f"/teams/{team.slug}/members/{owner.id}/remove", {},
                         page=f"/teams/{team.slug}/")
    assert "An owner cannot be removed" in client.get(response.headers["Location"]).text
    assert members_of(db_session, team) == {(owner.email, Role.OWNER)}


def test_a_member_who_is_not_an_owner_gets_403_and_changes_nothing(
        client, login, post_form, db_session):
    team = TeamFactory()
    member = MembershipFactory(team=team).user
    other = MembershipFactory(team=team).user
    login(member)
    page = client.get(f"/teams/{team.slug}/").text
    assert "Invite someone" not in page and "/remove" not in page and "Change role" not in page
    before = members_of(db_session, team)
    # A member's team page has no forms; the new-team page gives the session's CSRF token.
    add = post_form(f"/teams/{team.slug}/members", {"email": UserFactory().email},
                    page="/teams/new")
    remove = post_form(f"/teams/{team.slug}/members/{other.id}/remove", {}, page="/teams/new")
    assert add.status_code == remove.status_code == 403
    assert members_of(db_session, team) == before


def test_a_stranger_gets_404_when_managing_members(post_form, login, db_session):
    team = TeamFactory()
    member = MembershipFactory(team=team).user
    login(UserFactory())
    add = post_form(f"/teams/{team.slug}/members", {"email": "x@example.com"}, page="/teams/new")
    remove = post_form(f"/teams/{team.slug}/members/{member.id}/remove", {}, page="/teams/new")
    assert add.status_code == remove.status_code == 404
    assert len(members_of(db_session, team)) == 2


def test_membership_changes_need_the_csrf_token(client, db_session, owner_and_team):
    owner, team = owner_and_team
    member = MembershipFactory(team=team).user
    response = client.post(f"/teams/{team.slug}/members/{member.id}/remove")
    assert response.status_code == 400
    assert len(members_of(db_session, team)) == 2


def test_many_invitations_come_a_page_at_a_time_apart_from_the_members(
        client, db_session, owner_and_team):
    owner, team = owner_and_team
    for number in range(51):
        db_session.add(Invitation(team_id=team.id, email=f"guest{number:02d}@example.com",
                                  invited_by_id=owner.id))
    db_session.commit()
    first = client.get(f"/teams/{team.slug}/").text
    assert first.count("Cancel the invitation") == 50 and "guest50@example.com" not in first
    assert f'rel="next" href="/teams/{team.slug}/?invitations_page=2"' in first
    second = client.get(f"/teams/{team.slug}/?invitations_page=2").text
    assert second.count("Cancel the invitation") == 1 and "guest50@example.com" in second
    assert f'rel="prev" href="/teams/{team.slug}/?invitations_page=1"' in second
    # The members' list stays on its first page.
    assert f'<li data-user-id="{owner.id}" data-role="owner">' in second
