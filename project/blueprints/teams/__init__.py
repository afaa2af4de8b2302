"""Teams: a named group of users, each with a role; the owner manages who belongs."""
from flask import Blueprint

bp = Blueprint("teams", __name__, url_prefix="/teams", template_folder="templates")

# Routes attach to bp.
from project.blueprints.teams import home, invitations, views  # noqa: E402,F401
