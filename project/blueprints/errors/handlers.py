from flask import render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException, InternalServerError, SecurityError

from project.blueprints.auth.redirects import referring_path
from project.blueprints.auth.views import ask_to_log_out_again
from project.blueprints.auth.sessions import end_idle_sessions
from project.blueprints.errors import bp
from project.expired_forms import redisplayed_form
from project.extensions import db

# What a person is told, in words, for each status this app answers with.
EXPLANATIONS = {
    400: "The request could not be understood. Go back and try again.",
    403: "You are not allowed to do that.",
    404: "There is nothing here. The address may be mistyped, or what was here was deleted.",
    405: "That action is not possible here.",
    409: "Someone else changed this at the same moment, so nothing of yours was saved. "
         "Go back, reload the page, and try again.",
    413: "What you sent is too large.",
    429: "Too many attempts. Please wait a little and try again.",
    500: "Something went wrong on our side, and nothing was saved. Please try again in a "
         "moment; if it happens again, tell us what you were doing.",
}


def page_for(error, explanation):
    # The page the person came from, when it is on this site and is not this one: the way back.
    back = referring_path()
    if back == request.full_path.rstrip("?") or back == request.path:
        back = None
    page = render_template("errors/error.html", error=error, explanation=explanation, back=back)
    response = error.get_response()
    response.set_data(page)
    response.content_type = "text/html; charset=utf-8"
    return response


@bp.app_errorhandler(HTTPException)
def http_error(error):
    # A description of the app's own (abort(403, "..."), a CSRF failure) tells what
    # to do; Werkzeug's defaults and Flask-Limiter's ("3 per 1 minute") are for developers.
    has_own_description = error.description != type(error).description
    if has_own_description and error.code not in (429, 500):
        explanation = error.description
    else:
        explanation = EXPLANATIONS.get(error.code, error.description)
    return page_for(error, explanation)


@bp.app_errorhandler(SecurityError)
def untrusted_host(error):
    """A request naming a host outside TRUSTED_HOSTS. No page in the layout can be made for
    it: every address on a page is built from the host it refused. A line of text instead."""
    return "This site does not answer to that host name.", 400, {
        "Content-Type": "text/plain; charset=utf-8"}


@bp.app_errorhandler(InternalServerError)
def server_error(error):
    """An exception no view handled (Flask passes it here as a 500): whatever the request had
    begun to write is rolled back, and the person sees the layout, never a traceback."""
    db.session.rollback()
    return page_for(error, EXPLANATIONS[500])


@bp.app_errorhandler(CSRFError)
def form_expired(error):
    """A form sent with an expired or missing token: shown again with what was typed, where
    its view allows it (project/expired_forms.py); otherwise the 400 page.

    CSRFProtect refused the request before the idle-session check ran: run it first, so
    that a session past its idle timeout ends here as anywhere, and shows no form.
    """
    ended = end_idle_sessions()
    if ended is not None:
        return ended
    if request.endpoint == "auth.logout" and current_user.is_authenticated:
        return ask_to_log_out_again()
    return redisplayed_form() or page_for(
        error, "This form was open too long, or your session ended, so nothing was done. "
               "Go back, reload the page, and try again."
    )


@bp.app_errorhandler(StaleDataError)
def changed_meanwhile(error):
    """A row changed or deleted by another request between this one's read and its write.

    Its version (version_id_col) no longer matched, so nothing was written; the
    person tries again on what is there now. (The task edit form answers this
    itself, with both versions side by side.)
    """
    db.session.rollback()
    return http_error(Conflict())
