"""Error pages in the site's layout, each with a way back."""
from flask import Blueprint

bp = Blueprint("errors", __name__, template_folder="templates")

from project.blueprints.errors import handlers  # noqa: E402,F401  (handlers attach to bp)
