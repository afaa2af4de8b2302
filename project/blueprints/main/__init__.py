"""The public pages: the home page."""
from flask import Blueprint

bp = Blueprint("main", __name__, template_folder="templates")

from project.blueprints.main import views  # noqa: E402,F401  (routes attach to bp)
