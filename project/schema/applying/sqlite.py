"""SQLite made to keep the same promises as PostgreSQL: DDL inside transactions, foreign keys
on, and concurrent writers that wait their turn instead of failing with "database is locked"."""
from sqlalchemy import event

# How long a writer waits for another's transaction before SQLite gives up.
BUSY_TIMEOUT_MS = 15_000


def make_sqlite_transactional(engine, begin_immediately=lambda: True):
    """Take transaction control away from the pysqlite driver; make writers queue.

    By default pysqlite emits no BEGIN before DDL, so a failed migration leaves
    its CREATE and ALTER statements behind, and a test's rolled-back outer
    transaction does not isolate it. SQLAlchemy's documented recipe: put the
    driver in autocommit mode and emit BEGIN ourselves.

    Several processes writing at once (a server's workers): with WAL, readers
    never wait for a writer; and a transaction that will write starts with
    BEGIN IMMEDIATE, taking the write lock first and waiting up to the busy
    timeout for it. A plain BEGIN would take it only at the first write, and
    SQLite cannot make a reader that is already in a transaction wait to
    become a writer: it fails at once with "database is locked".
    `begin_immediately()` says whether the transaction about to begin may write.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None
        # SQLite ignores FOREIGN KEY clauses unless asked, per connection.
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
        dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            # Stored in the file: every later connection, of any process, uses it too.
            dbapi_connection.execute("PRAGMA journal_mode=WAL")

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if begin_immediately() else "BEGIN")
