"""Who may see a team: its members (others get 404); who may manage it: its owners (403)."""
from flask import abort
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager

from project.blueprints.teams.models import Membership, Role, Team
from project.extensions import db


def membership_or_404(team):
    """The current user's membership of `team`; 404 if they have none, so a stranger cannot
    even tell that the team exists."""
    membership = db.session.get(Membership, (team.id, current_user.id)) if team else None
    if membership is None:
        abort(404)
    return membership


# Built once: nearly every page of a team runs it.
MEMBERSHIP_OF_TEAM_AT_SLUG = (
    select(Membership).join(Membership.team).options(contains_eager(Membership.team))
    .where(Team.slug == bindparam("slug"), Membership.user_id == bindparam("user_id"))
)


def team_membership_or_404(slug):
    """The current user's membership of the team at `slug`, with its team, or 404: one query."""
    membership = db.session.scalar(MEMBERSHIP_OF_TEAM_AT_SLUG,
                                   {"slug": slug, "user_id": current_user.id})
    if membership is None:
        abort(404)
    return membership


def owner_or_403(membership):
    if membership.role is not Role.OWNER:
        abort(403)
