from flask import render_template
from werkzeug.exceptions import HTTPException

from project.blueprints.errors import bp

# What a person is told, in words, for each status this app answers with.
EXPLANATIONS = {
    400: "The request could not be understood. Go back and try again.",
    403: "You are not allowed to do that.",
    404: "There is nothing here.",
    405: "That action is not possible here.",
    409: "Someone else changed this in the meantime.",
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
