"""SQLite: telling, from the statements batch mode sends, that it is rebuilding a table.

Batch mode rebuilds a table T as: CREATE TABLE _alembic_tmp_T, copy the rows,
DROP TABLE T, ALTER TABLE _alembic_tmp_T RENAME TO T. Alembic offers no hook
around it; its statements are the public trace.
"""
import re

TEMPORARY_PREFIX = "_alembic_tmp_"  # Alembic's name for the copy (batch.py, _calc_temp_name)
DROP_TABLE = re.compile(r'^\s*DROP\s+TABLE\s+"?(?P<table>[^"\s]+)"?\s*$', re.IGNORECASE)
RENAME_COPY = re.compile(
    rf'^\s*ALTER\s+TABLE\s+"?{TEMPORARY_PREFIX}(?P<table>[^"\s]+)"?\s+RENAME\s+TO\s+'
    r'"?(?P=table)"?\s*$',
    re.IGNORECASE,
)


def table_dropped_for_rebuild(driver, statement):
    """The table `statement` drops because its copy is ready to replace it, else None."""
    drop = DROP_TABLE.match(statement)
    if not drop:
        return None
    table = drop.group("table")
    copy = (TEMPORARY_PREFIX + table)[:50]
    found = driver.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (copy,)
    ).fetchone()
    return table if found else None


def table_replaced_by_copy(statement):
    """The table `statement` puts back by renaming its copy, else None."""
    rename = RENAME_COPY.match(statement)
    return rename.group("table") if rename else None
