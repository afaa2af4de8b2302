"""The account page, and the changes that ask for the current password first."""
import logging

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, logout_user
from sqlalchemy import func, select

from project.blueprints.account import bp
from project.blueprints.account.deletion import delete_account, deletion_form, owned_teams
from project.blueprints.account.forms import EmailChangeForm, PasswordChangeForm
from project.blueprints.auth import throttle
from project.blueprints.auth.emails import send_email
from project.blueprints.auth.events import log_auth_event
from project.blueprints.auth.forms import ButtonForm
from project.blueprints.auth.models import User
from project.blueprints.auth.tokens import make_token, read_token
from project.blueprints.auth.views import start_session
from project.extensions import db

WRONG_PASSWORD = "That is not your current password."


@bp.before_request
@login_required
def require_login():
    """Every page here is the signed-in user's own."""


@bp.get("/")
def profile():
    return render_template("account/profile.html", button=ButtonForm())


@bp.route("/password", methods=["GET", "POST"])
@throttle.guesses_by_address
@throttle.guesses_by_signed_in_account
def change_password():
    form = PasswordChangeForm()
    form.known_user_inputs = [current_user.name, current_user.email]
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            log_auth_event("password.change_refused", current_user, level=logging.WARNING)
            form.current_password.errors.append(WRONG_PASSWORD)
        else:
            current_user.set_password(form.new_password.data)
            db.session.commit()
            # Every other session is now void; this one continues on the new token.
            start_session(current_user._get_current_object())
            log_auth_event("password.changed", current_user)
            flash("Your password has been changed. Other sessions have been logged out.", "success")
            return redirect(url_for("account.profile"))
    return render_template("account/password.html", form=form)


@bp.route("/email", methods=["GET", "POST"])
@throttle.guesses_by_address
@throttle.guesses_by_signed_in_account
@throttle.mail_by_signed_in_account
def change_email():
    """Mail a link to the new address; the address changes when its owner follows it.

    The old address hears of it, in case the account is in someone else's hands.
    An address that has an account already gets a note instead of a link, and
    the page says the same, so it does not tell which addresses have accounts.
    """
    form = EmailChangeForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(WRONG_PASSWORD)
        else:
            new = form.email.data
            log_auth_event("email.change_requested", current_user)
            if db.session.scalar(select(User.id).where(User.email == new)):
                send_email(new, "Someone tried to move an account to your address",
                           "account/email/address_taken.txt")
            else:
                token = make_token("change-email", {"user": current_user.id,
                                                    "old": current_user.email, "new": new})
                send_email(new, "Confirm your new address", "account/email/confirm_new.txt",
                           user=current_user,
                           link=url_for("account.confirm_email_change", token=token,
                                        _external=True))
                send_email(current_user.email, "Your address is about to change",
                           "account/email/change_requested.txt", user=current_user, new=new)
            flash(f"We sent a link to {new}: your address changes when you follow it.", "info")
            return redirect(url_for("account.profile"))
    return render_template("account/email.html", form=form)


@bp.get("/email/<token>")
def confirm_email_change(token):
    payload = read_token("change-email", token,
                         current_app.config["EMAIL_CONFIRMATION_MAX_AGE"])
    if payload is None or payload["user"] != current_user.id \
            or current_user.email != payload["old"]:
        return render_template("auth/link_invalid.html"), 400
    if db.session.scalar(select(User.id).where(User.email == payload["new"])):
        flash("That address has an account of its own by now; yours is unchanged.", "error")
        return redirect(url_for("account.profile"))
    current_user.email = payload["new"]
    current_user.email_confirmed_at = func.now()
    db.session.commit()
    log_auth_event("email.changed", current_user)
    flash(f"Your address is now {payload['new']}.", "success")
    return redirect(url_for("account.profile"))


@bp.route("/delete", methods=["GET", "POST"])
@throttle.guesses_by_address
@throttle.guesses_by_signed_in_account
def delete():
    teams = owned_teams(current_user)
    form = deletion_form(teams)
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            log_auth_event("account.deletion_refused", current_user, level=logging.WARNING)
            form.current_password.errors.append(WRONG_PASSWORD)
        else:
            log_auth_event("account.deleted", current_user)
            delete_account(current_user._get_current_object(), teams, form)
            session.clear()
            logout_user()
            flash("Your account has been deleted.", "info")
            return redirect(url_for("main.index"))
    return render_template("account/delete.html", form=form, teams=teams)
