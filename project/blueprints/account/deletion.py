"""Deleting an account, and the rule for the teams its user owns.

A team with another owner needs nothing. A team whose only owner leaves is
handed to one of its members, or deleted with its tasks: the user chooses on
the page. A team with no other member is deleted. The database does the rest:
memberships go with the user (ON DELETE CASCADE), and tasks assigned to them
become unassigned.
"""
from dataclasses import dataclass

from sqlalchemy import select

from project.blueprints.account.forms import DeletionForm, team_choice_field
from project.blueprints.teams.models import Membership, Role, Team
from project.extensions import db


@dataclass
class OwnedTeam:
    team: Team
    # Members who could take the team over; empty when the team would be left with no one.
    heirs: list

    @property
    def field_name(self):
        return f"team_{self.team.id}"


def owned_teams(user):
    """The teams only `user` owns, each with the members who could take it over."""
    teams = []
    for team in db.session.scalars(
        select(Team).join(Membership).where(Membership.user_id == user.id,
                                            Membership.role == Role.OWNER)
    ):
        others = [m for m in team.memberships if m.user_id != user.id]
        if any(m.role is Role.OWNER for m in others):
            continue
        teams.append(OwnedTeam(team, others))
    return teams


def deletion_form(teams):
    """The deletion form, with one question for each team that has someone to hand it to."""
    form_class = type("AccountDeletionForm", (DeletionForm,), {
        owned.field_name: team_choice_field(owned.team, owned.heirs)
        for owned in teams if owned.heirs
    })
    return form_class()


def delete_account(user, teams, form):
    for owned in teams:
        choice = form[owned.field_name].data if owned.heirs else "delete"
        if choice.startswith("hand:"):
            heir_id = int(choice.removeprefix("hand:"))
            heir = next(m for m in owned.heirs if m.user_id == heir_id)
            heir.role = Role.OWNER
        else:
            db.session.delete(owned.team)
    db.session.delete(user)
    db.session.commit()
