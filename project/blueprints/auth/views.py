import functools
import logging
import secrets

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from project.blueprints.auth import bp
from project.blueprints.auth.events import log_auth_event
from project.blueprints.auth.forms import (
    LoginForm,
    LogoutForm,
    PasswordChangeForm,
    RegistrationForm,
)
from project.blueprints.auth.models import User
from project.blueprints.auth.redirects import safe_next_path
from project.extensions import db, login_manager

login_manager.login_view = "auth.login"
login_manager.login_message_category = "info"

INVALID_CREDENTIALS = "Invalid email or password."


def start_session(user, remember=False):
    """Log `user` in on a fresh session, so nothing from before login carries over."""
    session.clear()
    login_user(user, remember=remember)


def default_landing():
    return url_for("auth.profile")


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(default_landing())
    form = RegistrationForm()
    if form.validate_on_submit():
        if db.session.scalar(select(User.id).where(User.email == form.email.data)):
            form.email.errors.append("An account with this email already exists.")
        else:
            user = User(name=form.name.data, email=form.email.data)
            user.set_password(form.password.data)
            db.session.add(user)
            try:
                db.session.commit()
            except IntegrityError:
                # Another request registered the same email since the check above.
                db.session.rollback()
                form.email.errors.append("An account with this email already exists.")
            else:
                start_session(user)
                log_auth_event("account.registered", user)
                flash("Welcome! Your account is ready.", "success")
                return redirect(default_landing())
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(default_landing())
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == form.email.data))
        if credentials_match(user, form.password.data):
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
    has_password = user is not None and user.password_hash is not None
    stored = user.password_hash if has_password else stand_in_hash(
        current_app.config["PASSWORD_HASH_METHOD"]
    )
    return check_password_hash(stored, password) and has_password


@functools.cache
def stand_in_hash(method):
    return generate_password_hash(secrets.token_hex(16), method=method)


@bp.post("/logout")
def logout():
    # CSRFProtect has already refused a POST without this session's token.
    user = current_user._get_current_object()
    session.clear()
    if user.is_authenticated:
        # A new token voids this session's cookies and any copies taken of them.
        user.rotate_session_token()
        db.session.commit()
        # After clear(): logout_user() marks the remember cookie for deletion.
        logout_user()
        log_auth_event("logout", user)
    flash("You have been logged out.", "info")
    return redirect(url_for("main.index"))


@bp.get("/profile")
@login_required
def profile():
    return render_template("auth/profile.html", logout_form=LogoutForm())


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            log_auth_event("password.change_refused", current_user, level=logging.WARNING)
            form.current_password.errors.append("That is not your current password.")
        else:
            current_user.set_password(form.new_password.data)
            db.session.commit()
            # Every other session is now void; this one continues on the new token.
            start_session(current_user._get_current_object())
            log_auth_event("password.changed", current_user)
            flash("Your password has been changed. Other sessions have been logged out.", "success")
            return redirect(default_landing())
    return render_template("auth/password.html", form=form)
