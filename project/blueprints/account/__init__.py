"""The signed-in user's own account: profile, password, address, deletion.

Above auth and teams: deleting an account decides what becomes of the teams
its user owns, so this feature reads both, and neither reads it.
"""
from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account", template_folder="templates")

from project.blueprints.account import views  # noqa: E402,F401  (routes attach to bp)
