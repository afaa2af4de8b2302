"""Accounts: registration, login, logout, profile and password change."""
from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")

from project.blueprints.auth import views  # noqa: E402,F401  (routes attach to bp)
