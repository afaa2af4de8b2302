"""`flask db diagram`, `flask db graph` and `flask db history --blueprint`, read by a person."""
import html
import re

from alembic.script import ScriptDirectory

from project import create_app
from project.extensions import db


def model_tables():
    """{table: [columns]} of this checkout's models: the diagram must show every one."""
    with create_app("testing").app_context():
        return {
            table.name: [column.name for column in table.columns]
            for table in db.metadata.sorted_tables
        }


def test_the_diagram_shows_every_table_and_column_grouped_by_blueprint(project):
    project.succeed("db", "upgrade")
    project.succeed("db", "diagram", "-o", "schema.svg")
    svg = (project.root / "schema.svg").read_text()
    assert svg.startswith("<?xml") and "</svg>" in svg
    for table, columns in model_tables().items():
        assert f">{table}</text>" in svg
        for column in columns:
            assert f">{column}</text>" in svg
    for blueprint in ("auth", "teams", "tasks"):
        assert f">blueprint {blueprint}</text>" in svg
    assert ">VARCHAR(64) NOT NULL</text>" in svg


def test_mermaid_names_every_table_column_and_foreign_key(project):
    mermaid = project.succeed("db", "diagram", "--format", "mermaid").stdout
    assert mermaid.startswith("erDiagram\n")
    for table, columns in model_tables().items():
        assert f"    {table} {{" in mermaid
        for column in columns:
            assert re.search(rf"^        \S+ {column}\b", mermaid, re.MULTILINE), column
    assert '    teams ||--o{ tasks : "team_id"' in mermaid
    assert '    users |o--o{ tasks : "assignee_id"' in mermaid
    assert "        INTEGER id PK \"NOT NULL\"" in mermaid


def test_the_database_diagram_shows_drift_the_models_lack(project):
    project.succeed("db", "upgrade")
    project.execute("CREATE TABLE legacy_notes (id INTEGER PRIMARY KEY, body TEXT)")
    from_database = project.succeed("db", "diagram", "--database", "--format", "mermaid").stdout
    from_models = project.succeed("db", "diagram", "--format", "mermaid").stdout
    assert "    legacy_notes {" in from_database and "%% blueprint (no model)" in from_database
    assert "legacy_notes" not in from_models
    assert "alembic_version" not in from_database


def test_without_graphviz_the_command_says_how_to_install_it(project):
    result = project.run_with("db", "diagram", PATH="/nonexistent")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "apt-get install graphviz" in result.stderr
    assert "--format mermaid" in result.stderr
    assert project.run_with("db", "graph", PATH="/nonexistent").returncode == 1
    mermaid = project.run_with("db", "diagram", "--format", "mermaid", PATH="/nonexistent")
    assert mermaid.returncode == 0


def test_the_graph_shows_every_revision_and_highlights_the_database(project):
    scripts = ScriptDirectory(str(project.root / "migrations"))
    head = scripts.get_revision("head")
    project.succeed("db", "upgrade", head.down_revision)
    svg = project.succeed("db", "graph").stdout
    # As a reader sees them: `&#39;` in the file is the apostrophe of "a user's".
    texts = {html.unescape(text) for text in re.findall(r">([^<]*)</text>", svg)}
    for revision in scripts.walk_revisions():
        assert revision.revision in texts and revision.doc in texts
    nodes = dict(re.findall(r"<title>(\w+)</title>\s*<path fill=\"(\w+)\"", svg))
    assert nodes[head.down_revision] == "gold"
    assert {fill for node, fill in nodes.items() if node != head.down_revision} == {"white"}
    assert ">the database is here</text>" in svg and ">head</text>" in svg
    assert ">tasks</text>" in svg and ">auth</text>" in svg


def test_history_by_blueprint_lists_the_revisions_that_touch_its_tables(project):
    result = project.succeed("db", "history", "--blueprint", "teams")
    lines = result.stdout.splitlines()
    assert lines[-2:] == [
        "21a259fcf248  add team slug filled from the name  (teams)",
        "7b0f02c7f5ac  create teams and memberships  (memberships, teams)",
    ]
    assert not any(line.startswith(("721d684ded9b", "9431dae0c83d")) for line in lines)
    unknown = project.run("db", "history", "--blueprint", "billing")
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == (
        "Error: no blueprint 'billing' owns a table; these do: auth, tasks, teams"
    )
