"""A plain Flask-Migrate application, built the way Flask-Migrate's documentation shows.

It is the baseline of the command and upgrade benchmarks: `Migrate(app, db)`,
the `migrations/` folder that `flask db init` writes (Alembic's env.py from
Flask-Migrate's template, none of this project's guards, locks or copies), and
this project's revision files copied into it, so both run the same history.
"""
import shutil
from pathlib import Path

from tests.cli import run_cli

APP_SOURCE = '''\
import os

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
db = SQLAlchemy(app)
migrate = Migrate(app, db)
'''


def make_plain_app(directory, versions):
    """Write the plain app into `directory`, with the revision files of `versions`."""
    directory = Path(directory)
    directory.mkdir(parents=True)
    (directory / "plain.py").write_text(APP_SOURCE)
    environment = {"FLASK_APP": "plain", "DATABASE_URL": "sqlite://"}
    result = run_cli("db", "init", cwd=directory, env=environment)
    if result.returncode != 0:
        raise RuntimeError(f"flask db init failed: {result.stderr.strip()}")
    for script in Path(versions).glob("*.py"):
        shutil.copy2(script, directory / "migrations" / "versions" / script.name)
    return directory
