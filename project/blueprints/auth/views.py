"""Registration, confirmation of an address, login, logout, and logout everywhere."""
import logging
from datetime import datetime, timezone

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from project.blueprints.auth import bp, throttle
from project.blueprints.auth.emails import send_email
from project.blueprints.auth.events import log_auth_event
from project.blueprints.auth.forms import LoginForm, RegistrationForm
from project.blueprints.auth.models import User, user_with_email
from project.blueprints.auth.passwords import hash_password, stand_in_hash, verify_password
from project.blueprints.auth.redirects import safe_next_path
from project.blueprints.auth.sessions import mark_session_start
from project.blueprints.auth.tokens import make_token, read_token
from project.expired_forms import redisplays_expired_form
from project.extensions import db, login_manager
from project.forms import Form

login_manager.login_view = "auth.login"
login_manager.login_message_category = "info"

INVALID_CREDENTIALS = "Invalid email or password."


def start_session(user, remember=False):
    """Log `user` in on a fresh session, so nothing from before login carries over."""
    session.clear()
    login_user(user, remember=remember)
    mark_session_start(remembered=remember)


def default_landing():
    return url_for("main.index")


@bp.route("/register", methods=["GET", "POST"])
@redisplays_expired_form(public=True)
@throttle.mail_by_address
@throttle.mail_by_typed_account
def register():
    """Create an account, or mail the address's owner if it has one: the page is the same.

    Saying "taken" on screen would tell anyone which addresses have accounts.
    """
    if current_user.is_authenticated:
        return redirect(default_landing())
    form = RegistrationForm()
    if form.validate_on_submit():
        # Hashed before the lookup, so both answers take the same time.
        password_hash = hash_password(form.password.data)
        existing = user_with_email(form.email.data)
        if existing is None:
            user = User(name=form.name.data, email=form.email.data, password_hash=password_hash)
            db.session.add(user)
            try:
                db.session.commit()
            except IntegrityError:
                # Another request registered the same address since the lookup.
                db.session.rollback()
                existing = user_with_email(form.email.data)
            else:
                log_auth_event("account.registered", user)
                send_confirmation(user)
        if existing is not None:
            log_auth_event("account.registration_of_a_taken_address", existing)
            send_email(existing.email, "Someone tried to register with your address",
                       "auth/email/already_registered.txt", user=existing)
        return redirect(url_for("auth.registered"))
    return render_template("auth/register.html", form=form)


@bp.get("/registered")
def registered():
    return render_template("auth/registered.html")


def send_confirmation(user):
    token = make_token("confirm-email", {"user": user.id, "email": user.email})
    send_email(user.email, "Confirm your address", "auth/email/confirm_email.txt", user=user,
               link=url_for("auth.confirm_email", token=token, _external=True))


@bp.get("/confirm/<token>")
def confirm_email(token):
    payload = read_token("confirm-email", token, current_app.config["EMAIL_CONFIRMATION_MAX_AGE"])
    user = db.session.get(User, payload["user"]) if payload else None
    if user is None or user.email != payload["email"]:
        return render_template("auth/link_invalid.html"), 400
    if user.email_confirmed_at is None:
        user.email_confirmed_at = datetime.now(timezone.utc).replace(tzinfo=None)
        db.session.commit()
        log_auth_event("email.confirmed", user)
    flash("Your address is confirmed. Thank you.", "success")
    return redirect(default_landing())


@bp.post("/confirm")
@login_required
@throttle.mail_by_address
@throttle.mail_by_signed_in_account
def resend_confirmation():
    if current_user.email_confirmed_at is None:
        send_confirmation(current_user)
    flash(f"We sent a new link to {current_user.email}.", "info")
    return redirect(url_for("account.profile"))


@bp.route("/login", methods=["GET", "POST"])
@redisplays_expired_form(public=True)
@throttle.guesses_by_address
@throttle.guesses_by_typed_account
def login():
    if current_user.is_authenticated:
        return redirect(default_landing())
    form = LoginForm()
    if form.validate_on_submit():
        user = user_with_email(form.email.data)
        if credentials_match(user, form.password.data):
            # check_password may have renewed an old hash: keep it.
            db.session.commit()
            start_session(user, remember=form.remember_me.data)
            log_auth_event("login.succeeded", user)
            return redirect(safe_next_path(request.args.get("next")) or default_landing())
        log_auth_event("login.failed", user, email=form.email.data, level=logging.WARNING)
        form.form_errors.append(INVALID_CREDENTIALS)
    return render_template("auth/login.html", form=form)


def credentials_match(user, password):
    """Check `password` against `user`, with exactly one hash check whoever `user` is.

    An unknown email, or an account without a password, is checked against a
    stand-in hash, so the answer takes as long as for a real account and
    timing does not tell which emails exist.
    """
    if user is None or user.password_hash is None:
        verify_password(stand_in_hash(), password)
        return False
    return user.check_password(password)


@bp.post("/logout")
def logout():
    # CSRFProtect has already refused a POST without this session's token.
    end_session("logout")
    flash("You have been logged out.", "info")
    return redirect(url_for("main.index"))


def ask_to_log_out_again():
    """A logout sent from a page open past its token's life (the errors blueprint calls
    this): the person is still logged in, so they are told so and asked again, with a
    fresh token, rather than left believing they are out."""
    page = render_template(
        "confirm.html", kind="logout", form=Form(), heading="Log out?",
        question="The page you logged out from was open too long, so you are still "
                 "logged in.",
        losses=[], button="Log out", action=url_for("auth.logout"),
        cancel=url_for("main.index"),
    )
    return page, 400


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    """End every session of this account, on every device, remembered ones included.

    A plain logout does the same (a copied cookie must not outlive it); this is
    the button for the device you no longer have in hand.
    """
    end_session("logout.everywhere")
    flash("You have been logged out everywhere.", "info")
    return redirect(url_for("auth.login"))


def end_session(event):
    user = current_user._get_current_object()
    session.clear()
    if user.is_authenticated:
        # A new token voids every cookie issued for this account, copies included.
        user.rotate_session_token()
        db.session.commit()
        # After clear(): logout_user() marks the remember cookie for deletion.
        logout_user()
        log_auth_event(event, user)
