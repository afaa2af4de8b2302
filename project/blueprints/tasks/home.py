"""The tasks' section of the home page: the user's open tasks, soonest due first."""
from sqlalchemy import select

from project.blueprints.main.sections import HomeSection, home_sections
from project.blueprints.tasks.ordering import read_assigned_open
from project.blueprints.teams.models import Membership
from project.extensions import db
from project.pagination import page_read_by

OPEN_TASKS_PER_PAGE = 20


@home_sections.connect
def open_tasks(user):
    """Tasks assigned to `user` and not done; nothing for a user in no team (the teams
    section tells them where to start)."""
    in_a_team = db.session.scalar(
        select(Membership.team_id).where(Membership.user_id == user.id).limit(1)
    ) is not None
    if not in_a_team:
        return None
    tasks = page_read_by(lambda limit, offset: read_assigned_open(user.id, limit, offset),
                         OPEN_TASKS_PER_PAGE)
    return HomeSection(order=10, template="tasks/_home.html", values={"tasks": tasks})
