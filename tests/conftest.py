"""The app on a schema built by the migrations, once per session; one rolled-back transaction per test."""
import re

import flask_migrate
import pytest
from sqlalchemy.orm import scoped_session, sessionmaker

from project import create_app
from project.extensions import db
from tests.auth.factories import DEFAULT_PASSWORD
from tests.databases import backend_name, throwaway_database


def pytest_report_header(config):
    return f"database backend: {backend_name()} (TEST_DATABASE_URL)"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    with throwaway_database(tmp_path_factory.mktemp("databases")) as url:
        yield url


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        # The schema production has: built by the history, never by create_all.
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def db_session(app):
    """Run the test inside one transaction that is rolled back at its end.

    The app's own scoped session is swapped for one bound to that connection.
    Flask-SQLAlchemy's session class would not do: its get_bind() answers the
    engine for mapped classes, so its writes would escape the transaction.
    Commits in views and factories release savepoints instead
    ("create_savepoint"); expire_on_commit is off so that objects a test made
    stay readable after a request has closed the session.
    """
    with app.app_context():
        connection = db.engine.connect()
    transaction = connection.begin()
    app_session = db.session
    db.session = scoped_session(
        sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
    )
    try:
        yield db.session
    finally:
        db.session.remove()
        db.session = app_session
        transaction.rollback()
        connection.close()


@pytest.fixture
def client(app, db_session):
    return app.test_client()


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
