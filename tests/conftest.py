"""The app on the schema its migrations built, once; each test in a rolled-back transaction."""
import os
import re

import flask_migrate
import pytest

from project import create_app
from project.extensions import db, limiter
from tests.auth.factories import DEFAULT_PASSWORD
from tests.databases import backend_name, can_clone, head_database, throwaway_database
from tests.mail import Mailbox
from tests.transactions import rolled_back_session


# Throttle counts stay in this process's memory, even for an app a test makes in production
# mode: its init_app would point the process's one Flask-Limiter at the shared Redis, where the
# suites of the three backends, run side by side, reset each other's counts (limiter.reset())
# mid-test. The one test about Redis names it itself (tests/auth/test_throttling.py).
os.environ["RATELIMIT_STORAGE_URI"] = "memory://"


def pytest_report_header(config):
    return f"database backend: {backend_name()} (TEST_DATABASE_URL)"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    with throwaway_database(tmp_path_factory.mktemp("databases")) as url:
        yield url


@pytest.fixture(scope="session")
def database_at_head(tmp_path_factory):
    """The URL of a database `flask db upgrade` brought to head, for tests that start from a
    copy of it (`head_database`, `project_at_head`): one upgrade per test process instead of one
    per test. None where the backend cannot copy a database; those tests then upgrade their own.
    """
    if not can_clone():
        yield None
        return
    with head_database(tmp_path_factory.mktemp("template")) as url:
        yield url


@pytest.fixture(scope="session")
def mail_directory(tmp_path_factory):
    return tmp_path_factory.mktemp("mail")


@pytest.fixture(scope="session")
def app(database_url, mail_directory):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url,
                                 "MAIL_FILE_PATH": str(mail_directory)})
    with app.app_context():
        # The schema production has: built by the history, never by create_all.
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def db_session(app):
    with rolled_back_session(app) as session:
        yield session


@pytest.fixture
def client(app, db_session):
    return app.test_client()


@pytest.fixture
def limits(app):
    """Three refused attempts (or mails) a day, counted from zero. A day, so that no test on a
    busy machine outlasts the window its first attempt opened."""
    usual = app.config["LOGIN_LIMITS"]
    app.config["LOGIN_LIMITS"] = "3 per day"
    limiter.reset()
    yield
    app.config["LOGIN_LIMITS"] = usual
    limiter.reset()


@pytest.fixture
def mailbox(app, mail_directory):
    """What the app mails during this test (file backend, MAIL_FILE_PATH)."""
    box = Mailbox(mail_directory)
    box.empty()
    return box


CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token_from(page):
    match = CSRF_INPUT.search(page)
    assert match, "the page has no CSRF token field"
    return match.group(1)


@pytest.fixture
def post_form(client):
    """POST a form the way a browser does: load its page, send its CSRF token back."""

    def post(path, data, page=None, client=client, **kwargs):
        token = csrf_token_from(client.get(page or path).text)
        return client.post(path, data={"csrf_token": token, **data}, **kwargs)

    return post


@pytest.fixture
def login(post_form):
    def log_in(user, password=DEFAULT_PASSWORD, remember=False, client=None, **kwargs):
        data = {"email": user.email, "password": password}
        if remember:
            data["remember_me"] = "y"
        extra = {"client": client} if client is not None else {}
        return post_form("/auth/login", data, **extra, **kwargs)

    return log_in
