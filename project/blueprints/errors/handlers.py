from flask import render_template
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException

from project.blueprints.errors import bp
from project.extensions import db

# What a person is told, in words, for each status this app answers with.
EXPLANATIONS = {
    400: "The request could not be understood. Go back and try again.",
    403: "You are not allowed to do that.",
    404: "There is nothing here.",
    405: "That action is not possible here.",
    409: "Someone else changed this at the same moment, so nothing of yours was saved. "
         "Go back, reload the page, and try again.",
    413: "What you sent is too large.",
    429: "Too many attempts. Please wait a little and try again.",
}


@bp.app_errorhandler(HTTPException)
def http_error(error):
    # A description of the app's own (abort(403, "..."), a CSRF failure) tells what
    # to do; Werkzeug's defaults and Flask-Limiter's ("3 per 1 minute") are for developers.
    has_own_description = error.description != type(error).description
    if has_own_description and error.code != 429:
        explanation = error.description
    else:
        explanation = EXPLANATIONS.get(error.code, error.description)
    page = render_template("errors/error.html", error=error, explanation=explanation)
    response = error.get_response()
    response.set_data(page)
    response.content_type = "text/html; charset=utf-8"
    return response


@bp.app_errorhandler(StaleDataError)
def changed_meanwhile(error):
    """A row changed or deleted by another request between this one's read and its write.

    Its version (version_id_col) no longer matched, so nothing was written; the
    person tries again on what is there now. (The task edit form answers this
    itself, with both versions side by side.)
    """
    db.session.rollback()
    return http_error(Conflict())
