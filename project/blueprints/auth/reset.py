"""Forgotten passwords: a link by mail that works for PASSWORD_RESET_MAX_AGE, and once."""
from flask import current_app, flash, redirect, render_template, url_for

from project.blueprints.auth import bp, throttle
from project.blueprints.auth.emails import send_email
from project.blueprints.auth.forms import ForgotPasswordForm, ResetPasswordForm
from project.blueprints.auth.models import User, user_with_email
from project.blueprints.auth.tokens import credentials_fingerprint, make_token, read_token
from project.extensions import db


@bp.route("/forgot", methods=["GET", "POST"])
@throttle.mail_by_address
@throttle.mail_by_typed_account
def forgot_password():
    """Mail a reset link to an address with an account; the page after is the same either way."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = user_with_email(form.email.data)
        if user is not None:
            # A fingerprint of the hash and the address: once either changes, the link is void.
            token = make_token("reset-password",
                               {"user": user.id, "credentials": credentials_fingerprint(user)})
            send_email(user.email, "Reset your password", "auth/email/reset_password.txt",
                       user=user, link=url_for("auth.reset_password", token=token, _external=True),
                       minutes=int(max_age().total_seconds() // 60))
        return redirect(url_for("auth.reset_sent"))
    return render_template("auth/forgot.html", form=form)


@bp.get("/forgot/sent")
def reset_sent():
    return render_template("auth/reset_sent.html", minutes=int(max_age().total_seconds() // 60))


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    user = user_for_reset(token)
    if user is None:
        return render_template("auth/link_invalid.html"), 400
    form = ResetPasswordForm()
    form.known_user_inputs = [user.name, user.email]
    if form.validate_on_submit():
        # set_password rotates the session token: every session of the account ends.
        user.set_password(form.password.data)
        db.session.commit()
        flash("Your password has been changed, and every session ended. Please log in.",
              "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


def user_for_reset(token):
    payload = read_token("reset-password", token, max_age())
    user = db.session.get(User, payload["user"]) if payload else None
    # .get: a link mailed before the fingerprint held the address has none, and is void.
    if user is None or credentials_fingerprint(user) != payload.get("credentials"):
        return None
    return user


def max_age():
    return current_app.config["PASSWORD_RESET_MAX_AGE"]
