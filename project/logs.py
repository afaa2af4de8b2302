"""Logs fit for production: every line names its request and user; JSON lines in production.

A request id comes from the X-Request-ID header a proxy sets (when it looks like
one), else is made here; it is sent back in the response, so that a person's
report and the server's lines can be matched.
"""
import logging
import re
import sys
import uuid

from flask import g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept only if it is short and plain: a header is user input.
ACCEPTABLE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s user=%(user_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s"


# The schema package's lines are what `flask db` commands say: migrations/alembic.ini's logging
# prints them, in Alembic's format, beside Alembic's own lines. Printed by the app's handler
# too, each came twice, the second time with an empty request id.
MIGRATION_OUTPUT = "project.schema"


def current_request_id():
    return g.get("request_id") if has_request_context() else None


class RequestContext(logging.Filter):
    """Adds request_id and user_id to each record (None outside a request or logged out)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        if not hasattr(record, "user_id"):
            # Flask-Login's already-loaded user: a log line must not query the database.
            user = g.get("_login_user") if has_request_context() else None
            record.user_id = getattr(user, "id", None)
        return True


def assign_request_id():
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if ACCEPTABLE_REQUEST_ID.match(incoming) else uuid.uuid4().hex


def send_request_id(response):
    if "request_id" in g:
        response.headers[REQUEST_ID_HEADER] = g.request_id
    return response


def register_logging(app):
    """The app's loggers ("project" and below) write one line per record to stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(lambda record: not record.name.startswith(MIGRATION_OUTPUT + "."))
    handler.addFilter(RequestContext())
    handler.setFormatter(JsonFormatter(JSON_FIELDS) if app.config["LOG_JSON"]
                         else logging.Formatter(PLAIN_FORMAT))
    app.logger.handlers[:] = [handler]
    app.logger.setLevel(app.config["LOG_LEVEL"])
    app.before_request(assign_request_id)
    app.after_request(send_request_id)
