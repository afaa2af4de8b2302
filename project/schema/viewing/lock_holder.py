"""Who holds the migration lock of project.schema.applying.lock, if anyone, without taking it."""
import fcntl
import os

from sqlalchemy import text

from project.schema.applying.lock import LOCK_NAME, POSTGRESQL_LOCK_KEY, lock_file_path


def migration_lock_holder(connection):
    """A short description of the session holding the lock, or None when it is free."""
    backend = connection.dialect.name
    if backend == "postgresql":
        return _postgresql_holder(connection)
    if backend in ("mysql", "mariadb"):
        return _mysql_holder(connection)
    if backend == "sqlite":
        return _lock_file_holder(connection.engine)
    return None


def _postgresql_holder(connection):
    # A one-key advisory lock shows in pg_locks with the key's low 32 bits as
    # objid, its high bits as classid, and objsubid 1.
    row = connection.execute(text(
        "SELECT a.pid, a.usename, a.application_name, a.client_addr, a.backend_start "
        "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
        "AND l.classid::bigint = 0 AND l.objid::bigint = :key "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    ), {"key": POSTGRESQL_LOCK_KEY}).first()
    if row is None:
        return None
    client = f" from {row.client_addr}" if row.client_addr else ""
    program = f" ({row.application_name})" if row.application_name else ""
    return (
        f"PostgreSQL session {row.pid} of {row.usename}{client}{program}, "
        f"connected since {row.backend_start:%Y-%m-%d %H:%M:%S %Z}"
    ).replace("  ", " ")


def _mysql_holder(connection):
    name = f"{connection.engine.url.database}.{LOCK_NAME}"[-64:]
    holder = connection.scalar(text("SELECT IS_USED_LOCK(:name)"), {"name": name})
    if holder is None:
        return None
    row = connection.execute(text(
        "SELECT USER, HOST, TIME FROM information_schema.PROCESSLIST WHERE ID = :id"
    ), {"id": holder}).first()
    if row is None:
        return f"MariaDB/MySQL connection {holder}"
    return f"MariaDB/MySQL connection {holder} of {row.USER}@{row.HOST}, for {row.TIME} s"


def _lock_file_holder(engine):
    path = lock_file_path(engine)
    if path is None or not os.path.exists(path):
        return None
    with open(path) as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return f"process {_flock_owner(path) or '(unknown)'} (lock file {path})"
        fcntl.flock(lock_file, fcntl.LOCK_UN)
    return None


def _flock_owner(path):
    """The pid Linux lists in /proc/locks for the lock on `path`, if it tells."""
    inode = os.stat(path).st_ino
    try:
        with open("/proc/locks") as locks:
            for line in locks:
                fields = line.split()
                if len(fields) > 5 and fields[1] == "FLOCK" \
                        and fields[5].rsplit(":", 1)[-1] == str(inode):
                    return fields[4]
    except OSError:
        return None
    return None
