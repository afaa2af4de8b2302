"""Accounts: registration, confirmation, login, logout, password reset, and sessions."""
from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")

# Routes and hooks attach to bp.
from project.blueprints.auth import reset, sessions, views  # noqa: E402,F401
