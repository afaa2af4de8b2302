"""SQLite in WAL mode: the copy before a migration and `flask db restore` see what the WAL holds."""
import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest

from tests.cli import run_cli
from tests.databases import backend_name

pytestmark = pytest.mark.skipif(backend_name() != "sqlite", reason="SQLite's WAL")

ADA = "INSERT INTO users (id, name, email, session_token) VALUES (1, 'Ada', 'a@x.io', 't1')"


def names_in(path):
    with closing(sqlite3.connect(path)) as connection:
        return [name for (name,) in connection.execute("SELECT name FROM users")]


def test_the_copy_before_a_migration_holds_rows_still_in_the_wal(tmp_path, revisions):
    database = tmp_path / "app.db"
    env = {"DATABASE_URL": f"sqlite:///{database}"}
    assert run_cli("db", "upgrade", revisions[-2], env=env).returncode == 0

    # A connection that never checkpoints keeps its row in the WAL, out of the main file.
    writer = sqlite3.connect(database, isolation_level=None)
    try:
        assert writer.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute(ADA)
        main_file_alone = tmp_path / "main-file-alone.db"
        # In another process: closing any descriptor of the file would drop this
        # process's POSIX locks on it, which the writer's connection relies on.
        subprocess.run([sys.executable, "-c", "import shutil, sys; shutil.copyfile(*sys.argv[1:])",
                        database, main_file_alone], check=True)
        assert names_in(main_file_alone) == []

        upgrade = run_cli("db", "upgrade", env=env)
        assert upgrade.returncode == 0, upgrade.stderr
        copy = next((tmp_path / "backups").glob("app-*.db"))
        assert names_in(copy) == ["Ada"]

        writer.execute("UPDATE users SET name = 'Ada Lovelace'")
        restored = run_cli("db", "restore", "1", "--yes", env=env)
        assert restored.returncode == 0, restored.stderr
    finally:
        writer.close()
    assert names_in(database) == ["Ada"]
    assert revisions[-2] in run_cli("db", "current", env=env).stdout
    # The copy of the database as it was before the restore has the WAL's last change too.
    before_restore = next((tmp_path / "backups").glob("app-*-before-restore.db"))
    assert names_in(before_restore) == ["Ada Lovelace"]
