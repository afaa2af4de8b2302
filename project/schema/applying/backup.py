"""A copy of a SQLite database before a migration changes it, and the way back.

Copies are made with SQLite's online backup API, which gives a consistent copy
even while another connection writes; a plain file copy of a live database
may not be. The free space is checked first: a copy that fills the disk would
leave neither the copy nor room for the migration.
"""
import os
import shutil
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

from alembic.util import CommandError

# Pages copied per step when progress is shown: about 4 MB with SQLite's default page size.
PAGES_PER_STEP = 1024


def backups_folder(database_path):
    return Path(database_path).resolve().parent / "backups"


def list_backups(database_path):
    """The copies of this database, newest first."""
    stem = Path(database_path).stem
    folder = backups_folder(database_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{stem}-*.db"), reverse=True)


def back_up(database_path, label, keep, progress=None):
    """Copy the database to the backups folder, keep the newest `keep` copies, return the path.

    `progress(pages copied, pages in all)` is called as the copy goes, if given.
    """
    folder = backups_folder(database_path)
    folder.mkdir(exist_ok=True)
    refuse_without_room(database_path, folder)
    # The timestamp first after the stem: names sort by age.
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{Path(database_path).stem}-{stamp}-{label}.db"
    copy_database(database_path, target, progress)
    for old in list_backups(database_path)[keep:]:
        old.unlink()
    return target


def refuse_without_room(database_path, folder):
    """A CommandError with both figures when the copy would not fit in `folder`."""
    needed = copy_size(database_path)
    free = shutil.disk_usage(folder).free
    if free < needed:
        raise CommandError(
            f"not enough free space to copy the database before changing it: the copy needs "
            f"{megabytes(needed)}, {folder} has {megabytes(free)} free; free some space, or "
            "set SQLITE_BACKUP_KEEP=0 to go on without a copy"
        )


def copy_size(database_path):
    """At most what the copy takes: the file, and its write-ahead log not yet checkpointed."""
    return sum(
        os.path.getsize(path) for path in (database_path, f"{database_path}-wal")
        if os.path.exists(path)
    )


def megabytes(size):
    return f"{size / 1_000_000:.1f} MB"


def copy_database(source_path, target_path, progress=None):
    """`progress(pages copied, pages in all)`: called between steps of the copy, if given;
    without it the copy is made in one step, which is fastest."""
    with closing(sqlite3.connect(source_path)) as source, \
            closing(sqlite3.connect(target_path)) as target:
        if progress is None:
            source.backup(target)
        else:
            source.backup(target, pages=PAGES_PER_STEP,
                          progress=lambda _status, remaining, total: progress(
                              total - remaining, total))
