"""The home page: for a visitor, the way in; for a user, what the features show them there
(their open tasks, their teams and invitations, or the first step; see sections.py)."""
from flask import render_template
from flask_login import current_user

from project.blueprints.main import bp
from project.blueprints.main.sections import sections_for


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    return render_template("main/index.html", sections=sections_for(current_user))
