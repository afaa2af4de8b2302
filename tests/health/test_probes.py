"""/healthz and /readyz as a load balancer sees them: no login, the schema state, nothing more."""
import flask_migrate
from alembic.script import ScriptDirectory

from project import create_app
from project.extensions import db
from project.schema.applying.partial import mark_partial_revision
from tests.databases import throwaway_database


def test_healthz_answers_without_a_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_is_ready_when_the_database_is_at_the_head(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready"}


def test_readyz_names_the_revisions_a_database_behind_its_code_lacks(tmp_path):
    with throwaway_database(tmp_path) as url:
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            script = ScriptDirectory.from_config(
                app.extensions["migrate"].migrate.get_config())
            history = [rev.revision for rev in reversed(list(script.walk_revisions()))]
            flask_migrate.upgrade(revision=history[1])
            response = app.test_client().get("/readyz")
            db.engine.dispose()
    assert response.status_code == 503
    assert response.json == {"status": "behind", "pending_revisions": history[2:]}


def test_readyz_lists_the_whole_history_for_an_empty_database(tmp_path):
    with throwaway_database(tmp_path) as url:
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            response = app.test_client().get("/readyz")
            db.engine.dispose()
    assert response.status_code == 503
    assert response.json["status"] == "behind"
    assert len(response.json["pending_revisions"]) >= 7


def test_readyz_answers_503_without_details_when_the_database_does_not_answer(tmp_path):
    missing = tmp_path / "no-such-folder" / "app.db"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "reason": "the database does not answer"}
    assert "no-such-folder" not in response.text


def test_readyz_names_a_revision_left_partly_applied(tmp_path):
    with throwaway_database(tmp_path) as url:
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            flask_migrate.upgrade()
            head = ScriptDirectory.from_config(
                app.extensions["migrate"].migrate.get_config()).get_current_head()
            with db.engine.connect() as connection:
                mark_partial_revision(connection, head, "upgrade", [])
            response = app.test_client().get("/readyz")
            db.engine.dispose()
    assert response.status_code == 503
    assert response.json == {"status": "partly applied", "partly_applied_revision": head}
