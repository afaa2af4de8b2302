"""Who may see a team: its members (others get 404); who may manage it: its owners (403)."""
from flask import abort
from flask_login import current_user
from sqlalchemy import select

from project.blueprints.teams.models import Membership, Role, Team
from project.extensions import db


def membership_or_404(team):
    """The current user's membership of `team`; 404 if they have none, so a stranger cannot
    even tell that the team exists."""
    membership = db.session.get(Membership, (team.id, current_user.id)) if team else None
    if membership is None:
        abort(404)
    return membership


def team_membership_or_404(slug):
    """The current user's membership of the team at `slug`, or 404."""
    return membership_or_404(db.session.scalar(select(Team).where(Team.slug == slug)))


def owner_or_403(membership):
    if membership.role is not Role.OWNER:
        abort(403)
