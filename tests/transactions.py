"""A test's own session, inside one transaction that is rolled back at its end."""
from contextlib import contextmanager

from sqlalchemy.orm import scoped_session, sessionmaker

from project.extensions import db


@contextmanager
def rolled_back_session(app):
    """Swap the app's session for one inside a transaction that is rolled back afterwards.

    Flask-SQLAlchemy's own session class would not do: its get_bind() answers
    the engine for mapped classes, so its writes would escape the transaction.
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
