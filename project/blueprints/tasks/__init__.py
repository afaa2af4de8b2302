"""Tasks: a team's work, each with a status, an optional assignee and an optional due date."""
from flask import Blueprint

bp = Blueprint("tasks", __name__, url_prefix="/tasks", template_folder="templates")

# Routes attach to bp; the home page's section connects to main.
from project.blueprints.tasks import home, views  # noqa: E402,F401
