"""`flask scaffold blueprint NAME`, used as a feature team would: scaffold, migrate, upgrade,
downgrade, run the new tests, all in a copy of the project."""
import re
import subprocess
import sys

import click
import pytest
from sqlalchemy import create_engine, inspect

from project.scaffold.names import model_name
from project.scaffold.registration import register_blueprint, register_models
from tests.cli import copy_project, environment, run_cli
from tests.databases import head_database

NEW_FILES = [
    "project/blueprints/notes/__init__.py",
    "project/blueprints/notes/models.py",
    "project/blueprints/notes/forms.py",
    "project/blueprints/notes/views.py",
    "project/blueprints/notes/templates/notes/index.html",
    "project/blueprints/notes/templates/notes/new.html",
    "tests/notes/__init__.py",
    "tests/notes/factories.py",
    "tests/notes/test_notes.py",
]
REGISTRATION_FILES = ["project/blueprints/__init__.py", "project/models/__init__.py"]


def every_file(root):
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*") if path.is_file() and "__pycache__" not in path.parts
    }


def table_names(url):
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def succeed(*args, **kwargs):
    result = run_cli(*args, **kwargs)
    assert result.returncode == 0, f"flask {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture
def project_copy(tmp_path):
    return copy_project(tmp_path / "copy")


def test_scaffold_creates_the_feature_and_registers_it(project_copy):
    result = succeed("scaffold", "blueprint", "notes", cwd=project_copy)
    for path in NEW_FILES:
        assert (project_copy / path).is_file(), path
        assert f"created {path}" in result.stdout
    blueprints = (project_copy / "project/blueprints/__init__.py").read_text()
    assert "from project.blueprints.notes import bp as notes_bp\n" in blueprints
    assert "    notes_bp,\n]" in blueprints
    registry = (project_copy / "project/models/__init__.py").read_text()
    assert "from project.blueprints.notes.models import Note  # noqa: F401\n" in registry
    assert "/notes/new" in succeed("routes", cwd=project_copy).stdout


def test_a_scaffolded_feature_migrates_alone_and_its_tests_pass(
        project_copy, tmp_path, database_at_head):
    succeed("scaffold", "blueprint", "notes", cwd=project_copy)
    with head_database(tmp_path, database_at_head) as url:
        env = {"DATABASE_URL": url}
        tables_before = table_names(url)
        succeed("db", "migrate", "-m", "add notes", cwd=project_copy, env=env)

        [script] = (project_copy / "migrations/versions").glob("*_add_notes.py")
        upgrade_part, downgrade_part = script.read_text().split("def downgrade")
        assert "op.create_table('notes'" in upgrade_part
        assert not re.search(r"\b(drop|alter)_", upgrade_part)
        assert "op.drop_table('notes')" in downgrade_part
        for part in (upgrade_part, downgrade_part):
            # Every operation's first argument is a table (op.f() only names a constraint).
            touched = set(re.findall(r"(?:\bop\.(?!f\()\w+|batch_alter_table)\('(\w+)'", part))
            assert touched == {"notes"}, f"the revision touches more than the new table: {touched}"

        succeed("db", "upgrade", cwd=project_copy, env=env)
        assert table_names(url) == tables_before | {"notes"}
        assert "No new upgrade operations detected" in succeed(
            "db", "check", cwd=project_copy, env=env).stdout
        succeed("db", "downgrade", cwd=project_copy, env=env)
        assert table_names(url) == tables_before
        succeed("db", "upgrade", cwd=project_copy, env=env)
        assert "notes" in table_names(url)

    # The new feature's own tests, and the registry guard, run as in any checkout.
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider",
         "tests/notes", "tests/test_registry.py"],
        cwd=project_copy, env=environment({}), capture_output=True, text=True, timeout=300,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    for test in ("notes/test_notes.py::test_a_user_creates_one",
                 "notes/test_notes.py::test_a_user_sees_only_their_own",
                 "test_registry.py::test_every_blueprints_models_module_is_in_the_registry"):
        assert f"{test} PASSED" in tests.stdout, tests.stdout


@pytest.mark.parametrize(
    "name, message",
    [
        ("Notes", "'Notes' is not a lowercase Python identifier"),
        ("bug-reports", "'bug-reports' is not a lowercase Python identifier"),
        ("2fa", "'2fa' is not a lowercase Python identifier"),
        ("_private", "'_private' is not a lowercase Python identifier"),
        ("class", "'class' is a Python keyword"),
        ("auth", "a blueprint named 'auth' already exists"),
        ("tasks", "a blueprint named 'tasks' already exists"),
        ("users", "a table named 'users' already exists"),
        ("team", "a model named Team already exists"),
        ("test_runs", "'test_runs' starts with 'test', which pytest reserves"),
        ("models", "'models' is already the name of a part of the project"),
    ],
)
def test_scaffold_refuses_in_one_line_and_writes_nothing(project_copy, name, message):
    before = every_file(project_copy)
    result = run_cli("scaffold", "blueprint", name, cwd=project_copy)
    assert result.returncode != 0
    assert result.stderr.splitlines() == [f"Error: {result.stderr[7:].strip()}"]
    assert message in result.stderr
    assert every_file(project_copy) == before


@pytest.mark.parametrize(
    "name, model",
    [("notes", "Note"), ("bug_reports", "BugReport"), ("categories", "Category"),
     ("statuses", "Status"), ("boxes", "Box"), ("batches", "Batch"), ("news", "New")],
)
def test_the_model_is_named_for_one_row_of_the_table(name, model):
    assert model_name(name) == model


def test_the_model_can_be_named_where_the_singular_guess_is_wrong(project_copy):
    refused = run_cli("scaffold", "blueprint", "news", "--model", "news", cwd=project_copy)
    assert refused.returncode != 0
    assert refused.stderr.strip() == (
        "Error: 'news' is not a class name in CamelCase; use a name like 'Note' or 'BugReport'."
    )
    succeed("scaffold", "blueprint", "news", "--model", "NewsItem", cwd=project_copy)
    assert "class NewsItem(db.Model):" in \
        (project_copy / "project/blueprints/news/models.py").read_text()
    assert "from project.blueprints.news.models import NewsItem  # noqa: F401\n" in \
        (project_copy / "project/models/__init__.py").read_text()


def test_scaffold_never_overwrites_a_file(project_copy):
    mine = project_copy / "tests/notes/factories.py"
    mine.parent.mkdir()
    mine.write_text("# a factory someone already wrote\n")
    before = every_file(project_copy)
    result = run_cli("scaffold", "blueprint", "notes", cwd=project_copy)
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Error: tests/notes/factories.py already exists; the scaffold never overwrites a file"
    )
    assert every_file(project_copy) == before


def test_the_scaffold_commands_explain_themselves():
    group = run_cli("scaffold", "--help")
    command = run_cli("scaffold", "blueprint", "--help")
    assert group.returncode == command.returncode == 0
    assert "blueprint" in group.stdout
    assert "lowercase Python identifier" in command.stdout and "overwritten" in command.stdout


BLUEPRINTS_LIST = '''from project.blueprints.auth import bp as auth_bp
from project.blueprints.main import bp as main_bp

BLUEPRINTS = [
    main_bp,
    auth_bp,
]
'''


def test_registering_twice_changes_nothing_the_second_time():
    once = register_blueprint(BLUEPRINTS_LIST, "notes", "list")
    assert once == (
        "from project.blueprints.auth import bp as auth_bp\n"
        "from project.blueprints.main import bp as main_bp\n"
        "from project.blueprints.notes import bp as notes_bp\n"
        "\n"
        "BLUEPRINTS = [\n"
        "    main_bp,\n"
        "    auth_bp,\n"
        "    notes_bp,\n"
        "]\n"
    )
    assert register_blueprint(once, "notes", "list") == once

    registry = "from project.blueprints.auth.models import User  # noqa: F401\n"
    with_notes = register_models(registry, "notes", "Note", "registry")
    assert with_notes.splitlines()[1] == \
        "from project.blueprints.notes.models import Note  # noqa: F401"
    assert register_models(with_notes, "notes", "Note", "registry") == with_notes


def test_a_list_that_lost_its_shape_is_refused_with_what_to_do_by_hand():
    with pytest.raises(click.ClickException, match="add `from project.blueprints.notes import bp"):
        register_blueprint("BLUEPRINTS = [main_bp, auth_bp]\n", "notes", "list")
