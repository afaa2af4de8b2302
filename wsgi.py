"""The app for a production server: `gunicorn wsgi:app` (see `make serve`).

With no APP_ENV the app is production: a server started by hand without
settings must not run the development configuration by mistake.
"""
import os

from project import create_app

os.environ.setdefault("APP_ENV", "production")
app = create_app()
