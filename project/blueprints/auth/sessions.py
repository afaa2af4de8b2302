"""Sessions that end on their own: after IDLE_TIMEOUT without a request, unless remembered."""
import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from project.blueprints.auth import bp
from project.blueprints.auth.redirects import referring_path

# The session cookie is rewritten at most this often just to say "still here".
ACTIVITY_RESOLUTION = 60


def mark_session_start(remembered):
    session["remembered"] = remembered
    session["last_active"] = int(time.time())


@bp.before_app_request
def end_idle_sessions():
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = int(time.time())
    last_active = session.get("last_active")
    if last_active is None:
        # Restored from a remember cookie: the user asked to stay logged in.
        mark_session_start(remembered=True)
        return None
    idle = current_app.config["IDLE_TIMEOUT"].total_seconds()
    if not session.get("remembered") and now - last_active > idle:
        session.clear()
        logout_user()
        flash("You were logged out after a while without activity. Please log in again.",
              "info")
        # Back to the page after login; a POST's address may answer only POST (a move, a
        # role change), so its page is the one it was sent from.
        back = request.full_path.rstrip("?") if request.method == "GET" \
            else referring_path()
        return redirect(url_for("auth.login", next=back))
    if now - last_active >= ACTIVITY_RESOLUTION:
        session["last_active"] = now
    return None
