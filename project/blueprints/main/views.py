"""The home page: for a visitor, the way in; for a user, their open tasks, their teams and
their invitations; for a user with no team yet, what to do first."""
from flask import render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from project.blueprints.main import bp
from project.blueprints.tasks.models import Status, Task
from project.blueprints.teams.invitations import invitation_link, invitations_for
from project.blueprints.teams.models import Membership, Team
from project.extensions import db
from project.pagination import page_of

OPEN_TASKS_PER_PAGE = 20
# The home page shows the first teams; the teams page lists them all, a page at a time.
TEAMS_SHOWN = 10


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    tasks = page_of(
        select(Task).options(joinedload(Task.team))
        .where(Task.assignee_id == current_user.id, Task.status != Status.DONE)
        # Soonest due first, undated last (on every backend), then oldest.
        .order_by(Task.due_date.is_(None), Task.due_date, Task.id),
        OPEN_TASKS_PER_PAGE,
    )
    teams = db.session.scalars(
        select(Team).join(Membership, Membership.team_id == Team.id)
        .where(Membership.user_id == current_user.id)
        .order_by(Team.name, Team.id).limit(TEAMS_SHOWN + 1)
    ).all()
    invitations = [(invitation, invitation_link(invitation))
                   for invitation in invitations_for(current_user)]
    return render_template("main/index.html", tasks=tasks, teams=teams[:TEAMS_SHOWN],
                           more_teams=len(teams) > TEAMS_SHOWN, invitations=invitations)
