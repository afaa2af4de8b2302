from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from project.blueprints.auth import throttle
from project.blueprints.auth.models import User
from project.blueprints.teams import bp
from project.blueprints.teams.access import owner_or_403, team_membership_or_404
from project.blueprints.teams.forms import ActionForm, InvitationForm, RoleForm, TeamForm
from project.blueprints.teams.invitations import invite
from project.blueprints.teams.models import Invitation, Membership, Role, Team
from project.blueprints.teams.signals import (
    counted,
    losses,
    losses_of_membership_ending,
    losses_of_team_deletion,
    membership_ending,
)
from project.blueprints.teams.slugs import unique_slug
from project.expired_forms import redisplays_expired_form
from project.extensions import db
from project.pagination import page_of


@bp.before_request
@login_required
def require_login():
    """Every page of this blueprint needs a logged-in user."""


TEAMS_PER_PAGE = 50
MEMBERS_PER_PAGE = 50
INVITATIONS_PER_PAGE = 50


@bp.get("/")
def index():
    words = (request.args.get("q") or "").strip()[:80]
    query = (select(Membership).join(Membership.team).options(contains_eager(Membership.team))
             .where(Membership.user_id == current_user.id).order_by(Team.name, Team.id))
    if words:
        query = query.where(Team.name.icontains(words, autoescape=True))
    page = page_of(query, TEAMS_PER_PAGE)
    return render_template("teams/index.html", page=page, words=words)


@bp.route("/new", methods=["GET", "POST"])
@redisplays_expired_form
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
    team = membership.team
    is_owner = membership.role is Role.OWNER
    members = page_of(
        select(Membership).join(Membership.user).options(contains_eager(Membership.user))
        .where(Membership.team_id == team.id).order_by(User.name, User.id),
        MEMBERS_PER_PAGE,
    )
    return render_template(
        "teams/show.html",
        team=team,
        me=membership,
        is_owner=is_owner,
        members=members,
        invitations=pending_invitations(team) if is_owner else None,
        invitation_form=invitation_form or InvitationForm(),
        role_form=RoleForm(),
        button=ActionForm(),
    )


def pending_invitations(team):
    """A page of the team's invitations, paged apart from its members (?invitations_page=N)."""
    return page_of(
        select(Invitation).where(Invitation.team_id == team.id)
        .order_by(Invitation.email, Invitation.id),
        INVITATIONS_PER_PAGE, argument="invitations_page",
    )


@bp.get("/<slug>/")
def show(slug):
    return render_team(team_membership_or_404(slug))


@bp.post("/<slug>/members")
@redisplays_expired_form
@throttle.mail_by_address
@throttle.mail_by_signed_in_account
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


def owner_count(team):
    """The team's owners, counted with their rows locked until the commit: two owners
    demoting each other (or leaving) at once would otherwise both see two, and leave the team
    with none. (FOR UPDATE takes no aggregate, hence the count here; SQLite takes the
    write lock at BEGIN IMMEDIATE instead.)"""
    return len(db.session.scalars(select(Membership.user_id).where(
        Membership.team_id == team.id, Membership.role == Role.OWNER
    ).with_for_update()).all())


@bp.post("/<slug>/members/<id:user_id>/role")
def change_role(slug, user_id):
    membership = team_membership_or_404(slug)
    owner_or_403(membership)
    team = membership.team
    form = RoleForm()
    changing = db.session.get(Membership, (team.id, user_id))
    if changing is None:
        flash("That person is not a member of this team.", "error")
    elif not form.validate_on_submit():
        flash(" ".join(error for errors in form.errors.values() for error in errors), "error")
    elif form.role.data is not Role.OWNER and changing.role is Role.OWNER \
            and owner_count(team) == 1:
        flash(f"{changing.user.name} is the only owner: make someone else an owner first.",
              "error")
    else:
        changing.role = form.role.data
        db.session.commit()
        role = "an owner" if changing.role is Role.OWNER else "a member"
        flash(f"{changing.user.name} is now {role} of {team.name}.", "success")
    return redirect(url_for("teams.show", slug=team.slug))


@bp.route("/<slug>/members/<id:user_id>/remove", methods=["GET", "POST"])
def remove_member(slug, user_id):
    """GET asks (naming what the member loses), POST removes."""
    membership = team_membership_or_404(slug)
    owner_or_403(membership)
    team = membership.team
    leaving = db.session.get(Membership, (team.id, user_id))
    if leaving is None:
        flash("That person is not a member of this team.", "error")
    elif leaving.role is Role.OWNER:
        flash("An owner cannot be removed from their team: make them a member first.", "error")
    elif request.method == "GET":
        name = leaving.user.name
        return render_template(
            "confirm.html", kind="remove-member", form=ActionForm(),
            heading=f"Remove {name} from {team.name}?",
            question=f"{name} will no longer see the team or its tasks. "
                     "An owner can invite them again later.",
            losses=[f"{name}'s membership of {team.name}",
                    *losses(losses_of_membership_ending, leaving)],
            button=f"Remove {name}",
            action=url_for("teams.remove_member", slug=team.slug, user_id=user_id),
            cancel=url_for("teams.show", slug=team.slug),
        )
    else:
        # CSRFProtect has already refused a POST without this session's token.
        name = leaving.user.name
        end_membership(leaving)
        flash(f"{name} is no longer a member of {team.name}.", "success")
    return redirect(url_for("teams.show", slug=team.slug))


def end_membership(membership):
    membership_ending.send(membership)
    db.session.delete(membership)
    # A task assigned to them since is unassigned by the database itself: the
    # assignment is a key to this membership (ON DELETE SET NULL).
    db.session.commit()


@bp.route("/<slug>/leave", methods=["GET", "POST"])
def leave(slug):
    """GET asks, POST leaves. The only owner cannot leave: the team would have no one to
    manage it."""
    membership = team_membership_or_404(slug)
    team = membership.team
    if membership.role is Role.OWNER and owner_count(team) == 1:
        flash("You are the only owner of this team: make someone else an owner first, "
              "or delete the team.", "error")
        return redirect(url_for("teams.settings", slug=team.slug))
    if request.method == "GET":
        return render_template(
            "confirm.html", kind="leave-team", form=ActionForm(),
            heading=f"Leave {team.name}?",
            question="You will no longer see this team or its tasks; an owner can invite "
                     "you again.",
            losses=[f"your membership of {team.name}",
                    *losses(losses_of_membership_ending, membership)],
            button=f"Leave {team.name}",
            action=url_for("teams.leave", slug=team.slug),
            cancel=url_for("teams.settings", slug=team.slug),
        )
    name = team.name
    end_membership(membership)
    flash(f"You have left {name}.", "success")
    return redirect(url_for("main.index"))


@bp.route("/<slug>/settings", methods=["GET", "POST"])
@redisplays_expired_form
def settings(slug):
    """Rename (owners), leave (anyone), delete (owners). The slug stays: links keep working."""
    membership = team_membership_or_404(slug)
    team = membership.team
    is_owner = membership.role is Role.OWNER
    form = TeamForm(obj=team)
    if request.method == "POST":
        owner_or_403(membership)
        if form.validate_on_submit():
            team.name = form.name.data
            db.session.commit()
            flash(f"The team is now called {team.name}; its address stays {team.slug}.",
                  "success")
            return redirect(url_for("teams.settings", slug=team.slug))
    return render_template("teams/settings.html", team=team, is_owner=is_owner, form=form)


@bp.route("/<slug>/delete", methods=["GET", "POST"])
def delete(slug):
    """GET asks (naming how many tasks, members and invitations go with it), POST deletes."""
    membership = team_membership_or_404(slug)
    owner_or_403(membership)
    team = membership.team
    if request.method == "GET":
        member_count = db.session.scalar(
            select(func.count()).select_from(Membership).where(Membership.team_id == team.id)
        )
        invitations = db.session.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.team_id == team.id)
        )
        return render_template(
            "confirm.html", kind="delete-team", form=ActionForm(),
            heading=f"Delete the team {team.name}?",
            question=f"The team {team.name} ({team.slug}) goes for everyone in it.",
            losses=[*losses(losses_of_team_deletion, team),
                    f"{counted(member_count, 'membership')}: the people stay, outside the team",
                    *([f"{counted(invitations, 'invitation')} not yet answered"]
                      if invitations else [])],
            button="Delete the team",
            action=url_for("teams.delete", slug=team.slug),
            cancel=url_for("teams.settings", slug=team.slug),
        )
    name = team.name
    # Its tasks, memberships and invitations go with it (ON DELETE CASCADE).
    db.session.delete(team)
    db.session.commit()
    flash(f"The team {name} is deleted.", "success")
    return redirect(url_for("main.index"))
