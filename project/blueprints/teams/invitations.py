"""Joining a team by invitation: an owner invites an address, its owner accepts.

Nobody is added to a team without consent, and inviting tells the owner
nothing about whether the address has an account: the same page, and a mail
to the address either way.
"""
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from project.blueprints.auth.emails import send_email
from project.blueprints.auth.tokens import make_token, read_token
from project.blueprints.teams import bp
from project.blueprints.teams.access import owner_or_403, team_membership_or_404
from project.blueprints.teams.models import Invitation, Membership, Role
from project.extensions import db


def invite(membership, email):
    """Invite `email` to `membership`'s team (renewing an earlier invitation) and mail it."""
    team = membership.team
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.team_id == team.id, Invitation.email == email)
    )
    if invitation is None:
        invitation = Invitation(team=team, email=email)
        db.session.add(invitation)
    invitation.invited_by = current_user._get_current_object()
    try:
        db.session.commit()
    except IntegrityError:
        # Invited by another request at the same moment: send that invitation.
        db.session.rollback()
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.team_id == team.id, Invitation.email == email)
        )
    send_email(email, f"{current_user.name} invites you to {team.name}", "teams/email/invite.txt",
               team=team, inviter=current_user, link=invitation_link(invitation, _external=True))
    flash(f"We have invited {email} by mail; they join when they accept.", "success")


def invitation_link(invitation, **url_options):
    """The address of the page where the invitee accepts or declines `invitation`."""
    token = make_token("team-invitation", {"invitation": invitation.id})
    return url_for("teams.invitation", token=token, **url_options)


def invitations_for(user):
    """The open invitations to `user`'s address, once they have shown the address is theirs:
    an unconfirmed account may have been opened by someone else with it."""
    if user.email_confirmed_at is None:
        return []
    return db.session.scalars(
        select(Invitation).where(Invitation.email == user.email).order_by(Invitation.id)
    ).all()


@bp.get("/invitations/<token>")
def invitation(token):
    pending = invitation_or_404(token)
    return render_template("teams/invitation.html", invitation=pending, token=token)


@bp.post("/invitations/<token>/accept")
def accept_invitation(token):
    pending = invitation_or_404(token)
    team = pending.team
    if db.session.get(Membership, (team.id, current_user.id)) is None:
        db.session.add(Membership(team=team, user=current_user._get_current_object(),
                                  role=Role.MEMBER))
    db.session.delete(pending)
    db.session.commit()
    flash(f"Welcome to {team.name}.", "success")
    return redirect(url_for("teams.show", slug=team.slug))


@bp.post("/invitations/<token>/decline")
def decline_invitation(token):
    pending = invitation_or_404(token)
    # Read before the commit: a deleted row's attributes cannot be loaded afterwards.
    team_name = pending.team.name
    db.session.delete(pending)
    db.session.commit()
    flash(f"You declined the invitation to {team_name}.", "info")
    return redirect(url_for("main.index"))


@bp.post("/<slug>/invitations/<id:invitation_id>/cancel")
def cancel_invitation(slug, invitation_id):
    membership = team_membership_or_404(slug)
    owner_or_403(membership)
    pending = db.session.get(Invitation, invitation_id)
    if pending is not None and pending.team_id == membership.team_id:
        email = pending.email
        db.session.delete(pending)
        db.session.commit()
        flash(f"The invitation to {email} is cancelled.", "info")
    return redirect(url_for("teams.show", slug=slug))


def invitation_or_404(token):
    """The invitation a link stands for, if it is still open and addressed to this account.

    The address must be the signed-in account's, and confirmed: a forwarded link cannot
    put someone else in the team.
    """
    payload = read_token("team-invitation", token,
                         current_app.config["EMAIL_CONFIRMATION_MAX_AGE"])
    pending = db.session.get(Invitation, payload["invitation"]) if payload else None
    if pending is None:
        abort(404)
    if pending.email != current_user.email:
        abort(403, "This invitation was sent to another address: log in with the account "
                   "for that address, or create one with it, then follow the link again.")
    if current_user.email_confirmed_at is None:
        # Anyone can open an account with an address they do not read (invitations_for).
        abort(403, "Confirm your address first: follow the link we mailed to it (your "
                   "account page sends a new one), then follow this link again.")
    return pending
