"""Input no route can use is refused before a route sees it: 404 or 400, never a database error.

- `<id:...>` in a route matches only whole numbers a database integer column can
  hold (1 to 2**31 - 1, PostgreSQL's and MariaDB's INTEGER); a larger id would
  reach the database as a value it cannot compare and answer 500. Out of
  range, the URL matches no route: 404, as for any id that does not exist.
- A NUL character in the path or the query string is a 400: PostgreSQL cannot
  store or compare text holding one. (Forms answer NUL with a form error,
  see project.forms.)
"""
from flask import abort, request
from werkzeug.routing import IntegerConverter

LARGEST_DATABASE_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """`<id:task_id>`: a positive integer that fits a database INTEGER primary key."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=LARGEST_DATABASE_ID)


def refuse_nul_characters():
    if "\x00" in request.path or any("\x00" in key + value
                                     for key, value in request.args.items(multi=True)):
        abort(400, "A NUL character cannot appear in an address.")


def register_input_guards(app):
    """Before the blueprints: their rules are compiled with the converters known then."""
    app.url_map.converters["id"] = DatabaseIdConverter
    app.before_request(refuse_nul_characters)
