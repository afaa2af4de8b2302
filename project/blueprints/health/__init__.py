"""/healthz (the process is up) and /readyz (the database answers and is at the history's head)."""
from flask import Blueprint

bp = Blueprint("health", __name__)

from project.blueprints.health import views  # noqa: E402,F401  (routes attach to bp)
