from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from project.blueprints.teams import bp
from project.blueprints.teams.access import owner_or_403, team_membership_or_404
from project.blueprints.teams.forms import InvitationForm, RemoveMemberForm, TeamForm
from project.blueprints.teams.invitations import invite
from project.blueprints.auth.models import User
from project.blueprints.teams.models import Invitation, Membership, Role, Team
from project.blueprints.teams.signals import membership_ending
from project.blueprints.teams.slugs import unique_slug
from project.extensions import db
from project.pagination import page_of


@bp.before_request
@login_required
def require_login():
    """Every page of this blueprint needs a logged-in user."""


TEAMS_PER_PAGE = 50


@bp.get("/")
def index():
    page = page_of(
        select(Membership).join(Membership.team).options(contains_eager(Membership.team))
        .where(Membership.user_id == current_user.id).order_by(Team.name, Team.id),
        TEAMS_PER_PAGE,
    )
    return render_template("teams/index.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = TeamForm()
    if form.validate_on_submit():
        team = Team(name=form.name.data, slug=unique_slug(form.name.data))
        team.memberships.append(
            Membership(user=current_user._get_current_object(), role=Role.OWNER)
        )
        db.session.add(team)
        try:
            db.session.commit()
        except IntegrityError:
            # Another request took the same slug since unique_slug looked.
            db.session.rollback()
            form.name.errors.append("A team of that name was just created; please try again.")
        else:
            flash(f"Team {team.name} created. You are its owner.", "success")
            return redirect(url_for("teams.show", slug=team.slug))
    return render_template("teams/new.html", form=form)


def render_team(membership, invitation_form=None):
    is_owner = membership.role is Role.OWNER
    return render_template(
        "teams/show.html",
        team=membership.team,
        is_owner=is_owner,
        invitations=pending_invitations(membership.team) if is_owner else [],
        invitation_form=invitation_form or InvitationForm(),
        remove_form=RemoveMemberForm(),
    )


def pending_invitations(team):
    return db.session.scalars(
        select(Invitation).where(Invitation.team_id == team.id).order_by(Invitation.email)
    ).all()


@bp.get("/<slug>/")
def show(slug):
    return render_team(team_membership_or_404(slug))


@bp.post("/<slug>/members")
def invite_member(slug):
    membership = team_membership_or_404(slug)
    owner_or_403(membership)
    form = InvitationForm()
    if not form.validate_on_submit():
        return render_team(membership, form)
    already = db.session.scalar(
        select(Membership).join(Membership.user)
        .where(Membership.team_id == membership.team_id, User.email == form.email.data)
    )
    if already is not None:
        form.email.errors.append(f"{already.user.name} is already a member.")
        return render_team(membership, form)
    invite(membership, form.email.data)
    return redirect(url_for("teams.show", slug=slug))


@bp.post("/<slug>/members/<id:user_id>/remove")
def remove_member(slug, user_id):
    membership = team_membership_or_404(slug)
    owner_or_403(membership)
    team = membership.team
    # CSRFProtect has already refused a POST without this session's token.
    leaving = db.session.get(Membership, (team.id, user_id))
    if leaving is None:
        flash("That person is not a member of this team.", "error")
    elif leaving.role is Role.OWNER:
        flash("An owner cannot be removed from their team.", "error")
    else:
        name = leaving.user.name
        membership_ending.send(leaving)
        db.session.delete(leaving)
        # A task assigned to them since is unassigned by the database itself: the
        # assignment is a key to this membership (ON DELETE SET NULL).
        db.session.commit()
        flash(f"{name} is no longer a member of {team.name}.", "success")
    return redirect(url_for("teams.show", slug=team.slug))
