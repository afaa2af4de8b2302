from flask import render_template

from project.blueprints.main import bp


@bp.get("/")
def index():
    return render_template("main/index.html")
