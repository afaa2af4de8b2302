"""wsgi.py: what gunicorn serves; production unless APP_ENV says otherwise."""
import subprocess
import sys

import flask_migrate
import httpx

from project import create_app
from project.extensions import db
from tests.cli import REPO_ROOT, environment
from tests.databases import throwaway_database
from tests.server import live_server


def test_wsgi_without_settings_is_production_and_refuses_the_default_secret_key():
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=REPO_ROOT,
                            env=environment({}), capture_output=True, text=True)
    assert result.returncode == 1
    assert "production refuses to start without a real SECRET_KEY" in result.stderr


def test_gunicorn_serves_the_app_and_is_ready_once_the_database_is_at_head(tmp_path):
    with throwaway_database(tmp_path) as url:
        with live_server(url, workers=2) as base:
            assert httpx.get(base + "/readyz").status_code == 503
            app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
            with app.app_context():
                flask_migrate.upgrade()
                db.engine.dispose()
            assert httpx.get(base + "/readyz").status_code == 200
            home = httpx.get(base + "/")
            assert home.status_code == 200
            assert "Log in" in home.text
