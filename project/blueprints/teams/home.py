"""The teams' section of the home page: invitations waiting, the user's teams, or, for a
user in no team, how to start."""
from sqlalchemy import select

from project.blueprints.main.sections import HomeSection, home_sections
from project.blueprints.teams.invitations import invitation_link, invitations_for
from project.blueprints.teams.models import Membership, Team
from project.extensions import db

# The home page shows the first teams; the teams page lists them all, a page at a time.
TEAMS_SHOWN = 10


@home_sections.connect
def teams_and_invitations(user):
    teams = db.session.scalars(
        select(Team).join(Membership, Membership.team_id == Team.id)
        .where(Membership.user_id == user.id)
        .order_by(Team.name, Team.id).limit(TEAMS_SHOWN + 1)
    ).all()
    invitations = [(invitation, invitation_link(invitation))
                   for invitation in invitations_for(user)]
    return HomeSection(order=20 if teams else 0, template="teams/_home.html", values={
        "teams": teams[:TEAMS_SHOWN], "more_teams": len(teams) > TEAMS_SHOWN,
        "invitations": invitations,
    })
