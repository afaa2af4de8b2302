"""Error pages in the site's layout, for errors that no view answers itself."""
from flask import Blueprint

bp = Blueprint("errors", __name__, template_folder="templates")

from project.blueprints.errors import handlers  # noqa: E402,F401  (handlers attach to bp)
