"""A form sent with an expired CSRF token comes back with what was typed, to be sent again.

CSRFProtect refuses such a POST before any view runs, and the person would lose
what they typed. For a view marked `@redisplays_expired_form`, the refusal runs
the view instead (see the errors blueprint): its form checks the token itself,
fails, saves nothing, and renders the typed values with a fresh token and a
sentence saying why; the status stays 400.

Mark only a view whose every write sits behind `form.validate_on_submit()`: the
mark must never let an action run without its token. A view behind a login is
re-run only for a logged-in user, as its blueprint's login check did not run.
"""
from flask import current_app, g, make_response, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from project.extensions import db


def is_redisplay():
    """Whether this request's view runs only to show its expired form again: nothing it
    refuses is an attempt (the throttles do not count it)."""
    return g.get("redisplaying_expired_form", False)


def redisplays_expired_form(view=None, *, public=False):
    """Mark `view` (placed right under its route decorator); `public=True` for a form a
    visitor fills in (login, register), whose view needs no login."""

    def mark(function):
        function.redisplays_expired_form = "public" if public else "members"
        return function

    return mark(view) if view is not None else mark


def redisplayed_form():
    """The response of the current request's view if it may show its form again, else None."""
    view = current_app.view_functions.get(request.endpoint)
    mark = getattr(view, "redisplays_expired_form", None)
    if request.method != "POST" or mark is None:
        return None
    if mark == "members" and not current_user.is_authenticated:
        return None
    g.redisplaying_expired_form = True
    try:
        response = make_response(current_app.ensure_sync(view)(**(request.view_args or {})))
    except HTTPException:
        # The view refused (404, 403, 429): this runs inside an error handler, where a
        # second abort would become a 500. The plain 400 says no more than it would.
        db.session.rollback()
        return None
    if response.status_code < 400:
        # Nothing was saved: a 200 (or a redirect, had the view made one) would say it was.
        response.status_code = 400
    return response
