"""`flask` and `python manage.py` are the same command line.

The entry points themselves are the point here: these tests start the real `flask`
executable and `python manage.py` (end_to_end), where the rest of the suite runs
commands in a forked child (tests/command_server.py).
"""
import pytest
from sqlalchemy import create_engine, inspect

from tests.cli import copy_project, run_cli


@pytest.mark.parametrize("via", ["flask", "manage.py"])
def test_db_upgrade_builds_the_schema_from_either_entry_point(via, tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    result = run_cli("db", "upgrade", env={"DATABASE_URL": url}, via=via, end_to_end=True)
    assert result.returncode == 0, result.stderr
    engine = create_engine(url)
    try:
        assert "users" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
    check = run_cli("db", "check", env={"DATABASE_URL": url}, via=via, end_to_end=True)
    assert check.returncode == 0 and "No new upgrade operations detected" in check.stdout


def test_both_entry_points_list_the_same_commands():
    def command_names(via):
        listing = run_cli("--help", via=via, end_to_end=True).stdout.split("Commands:")[1]
        return {line.split()[0] for line in listing.splitlines() if line.strip()}

    assert command_names("flask") == command_names("manage.py") >= {"db", "routes", "run"}


def test_the_copy_of_a_project_runs_its_own_code(tmp_path):
    copy = copy_project(tmp_path / "copy")
    with (copy / "project" / "__init__.py").open("a") as module:
        module.write("print('this is the copy')\n")
    for via in ("flask", "manage.py"):
        assert "this is the copy" in run_cli("routes", cwd=copy, via=via, end_to_end=True).stdout
        # The forked child of the rest of the suite imports the copy as well.
        assert "this is the copy" in run_cli("routes", cwd=copy, via=via).stdout


def test_a_settings_file_env_is_read(tmp_path):
    copy = copy_project(tmp_path / "copy")
    (copy / ".env").write_text(f"DATABASE_URL=sqlite:///{tmp_path / 'from-dotenv.db'}\n")
    result = run_cli("db", "upgrade", cwd=copy)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-dotenv.db").exists()


@pytest.mark.parametrize(
    "command, told",
    [
        ("migrate", ["-x allow-drop=TABLE[.COLUMN]", "-x rename=TABLE.OLD:NEW"]),
        ("upgrade", ["MIGRATION_LOCK_TIMEOUT", "flask db restore", "flask db resolve"]),
        ("downgrade", ["MIGRATION_LOCK_TIMEOUT", "flask db restore", "flask db resolve",
                       "-x allow-drop=TABLE[.COLUMN]"]),
        ("restore", ["newest first", "--yes"]),
        ("resolve", ["--applied", "--rolled-back", "--undo", "failed part-way"]),
    ],
)
def test_db_help_tells_what_this_project_adds(command, told):
    help_text = " ".join(run_cli("db", command, "--help").stdout.split())
    for words in told:
        assert words in help_text
