"""The one list of blueprints, and their registration."""
from project.blueprints.account import bp as account_bp
from project.blueprints.auth import bp as auth_bp
from project.blueprints.errors import bp as errors_bp
from project.blueprints.health import bp as health_bp
from project.blueprints.main import bp as main_bp
from project.blueprints.tasks import bp as tasks_bp
from project.blueprints.teams import bp as teams_bp

BLUEPRINTS = [
    main_bp,
    auth_bp,
    teams_bp,
    tasks_bp,
    account_bp,
    health_bp,
    errors_bp,
]


def register_blueprints(app):
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
