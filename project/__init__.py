"""The application factory: configuration, extensions, blueprints, commands, done."""
from flask import Flask

from project.bad_input import register_input_guards
from project.blueprints import register_blueprints
from project.commands import register_commands
from project.config import load_config
from project.extensions import register_extensions
from project.logs import register_logging
from project.security import register_security_headers


def create_app(config_name=None, overrides=None):
    """Build the app for `config_name` (default: $APP_ENV, else development).

    `overrides` is a mapping applied last, for tests and tools that need
    a particular database without touching the environment.
    """
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config_name, overrides)
    register_logging(app)
    register_extensions(app)
    register_input_guards(app)
    register_blueprints(app)
    register_security_headers(app)
    register_commands(app)
    return app
