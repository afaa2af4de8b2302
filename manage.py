"""The same CLI as `flask`: `python manage.py db upgrade` works as `flask db upgrade` does.

FlaskGroup reads .flaskenv and .env through python-dotenv, as `flask` does.
"""
from flask.cli import FlaskGroup

from project import create_app

cli = FlaskGroup(create_app=create_app)

if __name__ == "__main__":
    cli()
