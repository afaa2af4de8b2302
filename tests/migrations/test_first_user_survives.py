"""A user written by the very first revision survives the whole history, up and back down."""
import logging

import flask_migrate
from sqlalchemy import text

from project.extensions import db


def users_rows():
    with db.engine.connect() as connection:
        return connection.execute(text("SELECT id, name FROM users ORDER BY id")).all()


def test_the_first_revision_creates_users_with_exactly_id_and_name(empty_app, revisions):
    flask_migrate.upgrade(revision=revisions[0])
    columns = {c["name"]: c for c in db.inspect(db.engine).get_columns("users")}
    assert set(columns) == {"id", "name"}
    assert columns["name"]["type"].length == 64


def test_a_first_revision_row_keeps_its_id_and_name_up_and_down(empty_app, revisions):
    flask_migrate.upgrade(revision=revisions[0])
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO users (id, name) VALUES (7, 'Ada'), (8, 'Grace')"))
    expected = [(7, "Ada"), (8, "Grace")]

    for revision in revisions[1:]:
        flask_migrate.upgrade(revision=revision)
        assert users_rows() == expected, f"after upgrading to {revision}"
    # Going down drops the columns later revisions filled for these users: said so.
    dropped = ["allow-drop=users.email", "allow-drop=users.session_token"]
    for revision in reversed(revisions[:-1]):
        flask_migrate.downgrade(revision=revision, x_arg=dropped)
        assert users_rows() == expected, f"after downgrading to {revision}"


def test_running_migrations_leaves_the_apps_loggers_working(empty_app):
    app_logger = logging.getLogger("project.some_feature")
    flask_migrate.upgrade()
    assert not app_logger.disabled and not empty_app.logger.disabled
