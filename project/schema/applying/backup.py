"""A copy of a SQLite database before a migration changes it, and the way back.

Copies are made with SQLite's online backup API, which gives a consistent copy
even while another connection writes; a plain file copy of a live database
may not be.
"""
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path


def backups_folder(database_path):
    return Path(database_path).resolve().parent / "backups"


def list_backups(database_path):
    """The copies of this database, newest first."""
    stem = Path(database_path).stem
    folder = backups_folder(database_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{stem}-*.db"), reverse=True)


def back_up(database_path, label, keep):
    """Copy the database to the backups folder, keep the newest `keep` copies, return the path."""
    folder = backups_folder(database_path)
    folder.mkdir(exist_ok=True)
    # The timestamp first after the stem: names sort by age.
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{Path(database_path).stem}-{stamp}-{label}.db"
    copy_database(database_path, target)
    for old in list_backups(database_path)[keep:]:
        old.unlink()
    return target


def copy_database(source_path, target_path):
    with closing(sqlite3.connect(source_path)) as source, \
            closing(sqlite3.connect(target_path)) as target:
        source.backup(target)
