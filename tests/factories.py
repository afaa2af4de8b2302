"""The base of every feature's factories: rows written through the test's own session."""
from factory.alchemy import SQLAlchemyModelFactory

from project.extensions import db


class ModelFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        # Looked up at each use: conftest gives every test a session of its own.
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        # Committing releases the test's savepoint; the outer transaction
        # still rolls everything back when the test ends.
        sqlalchemy_session_persistence = "commit"
