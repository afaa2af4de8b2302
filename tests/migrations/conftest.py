"""Each history test gets an empty database of its own and an app pointed at it."""
import pytest
from alembic.script import ScriptDirectory

from project import create_app
from project.extensions import MIGRATIONS_DIRECTORY, db
from tests.databases import throwaway_database
from tests.migrations.project_copy import project_at_head


@pytest.fixture
def empty_app(tmp_path):
    """An app on an empty database; its app context is pushed for the test."""
    with throwaway_database(tmp_path) as url:
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            yield app
            db.engine.dispose()


@pytest.fixture(scope="session")
def revisions():
    """Every revision id of the history, oldest first."""
    script = ScriptDirectory(MIGRATIONS_DIRECTORY)
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


@pytest.fixture
def two_teams(tmp_path, database_at_head):
    """A copy of the project at head whose database holds two teams: Crew (1) and Band (2)."""
    with project_at_head(tmp_path, database_at_head) as project:
        project.execute("INSERT INTO teams (id, name, slug) VALUES (1, 'Crew', 'crew'), "
                        "(2, 'Band', 'band')")
        yield project
