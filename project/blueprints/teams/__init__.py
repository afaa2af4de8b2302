"""Teams: a named group of users, each with a role; the owner manages who belongs."""
from flask import Blueprint

bp = Blueprint("teams", __name__, url_prefix="/teams", template_folder="templates")

from project.blueprints.teams import views  # noqa: E402,F401  (routes attach to bp)
