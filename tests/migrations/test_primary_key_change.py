"""A primary key moved to other columns is written, applied and undone, rows in the table."""
import pytest

from tests.migrations.head_script import head_script
from tests.migrations.project_copy import project_at_head

TEAMS_MODELS = "project/blueprints/teams/models.py"
CLEAN = "No new upgrade operations detected"
PHRASES = '''

class Phrase(db.Model):
    __tablename__ = "phrases"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    language: Mapped[str] = mapped_column(String(5))
    text: Mapped[str] = mapped_column(String(200))
'''
ROWS = [("greeting", "en", "Hello"), ("parting", "en", "Bye")]


@pytest.fixture
def project(tmp_path, database_at_head):
    """The project at head with a table of phrases keyed by their code, and two rows in it."""
    with project_at_head(tmp_path, database_at_head) as project:
        project.edit(TEAMS_MODELS, "class Membership(db.Model):",
                     PHRASES.lstrip("\n") + "\n\nclass Membership(db.Model):")
        project.edit("project/models/__init__.py", "Membership, Team", "Membership, Phrase, Team")
        project.succeed("db", "migrate", "-m", "phrases")
        project.succeed("db", "upgrade")
        for code, language, text in ROWS:
            project.execute(f"INSERT INTO phrases (code, language, text) "
                            f"VALUES ('{code}', '{language}', '{text}')")
        yield project


def phrases(project):
    return project.query("SELECT code, language, text FROM phrases ORDER BY code, language")


def test_a_wider_primary_key_is_written_applied_and_undone(project):
    project.edit(TEAMS_MODELS, "language: Mapped[str] = mapped_column(String(5))",
                 "language: Mapped[str] = mapped_column(String(5), primary_key=True)")
    checked = project.run("db", "check")
    assert checked.returncode == 1 and "replace_primary_key" in checked.stderr

    project.succeed("db", "migrate", "-m", "phrases per language")
    upgrade, downgrade = head_script(project).split("def downgrade")
    assert ("batch_op.replace_primary_key('pk_phrases', old_columns=['code'], "
            "new_columns=['code', 'language'])") in upgrade
    assert ("batch_op.replace_primary_key('pk_phrases', old_columns=['code', 'language'], "
            "new_columns=['code'])") in downgrade
    project.succeed("db", "upgrade")
    assert phrases(project) == ROWS
    assert CLEAN in project.succeed("db", "check").stdout
    project.execute("INSERT INTO phrases (code, language, text) VALUES ('greeting', 'fr', 'Salut')")

    refused = project.run("db", "downgrade")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert (
        "1 value(s) of (code) are shared by several rows of phrases, and the primary key this "
        "revision makes must keep them apart; find them with: SELECT code, count(*) FROM phrases "
        "GROUP BY code HAVING count(*) > 1"
    ) in refused.stderr
    project.execute("DELETE FROM phrases WHERE language = 'fr'")
    project.succeed("db", "downgrade")
    assert phrases(project) == ROWS
    assert CLEAN not in project.run("db", "check").stdout


def test_a_narrower_primary_key_needs_the_unique_acknowledgment(project):
    project.edit(TEAMS_MODELS, "code: Mapped[str] = mapped_column(String(20), primary_key=True)",
                 "code: Mapped[str] = mapped_column(String(20))")
    project.edit(TEAMS_MODELS, "language: Mapped[str] = mapped_column(String(5))",
                 "language: Mapped[str] = mapped_column(String(5), primary_key=True)")
    refused = project.run("db", "migrate", "-m", "phrases by language")
    assert refused.returncode == 1
    assert "makes phrases.language the primary key: the upgrade stops" in refused.stderr
    assert "-x allow-unique=phrases.language" in refused.stderr
