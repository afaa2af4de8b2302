"""SQLite made to keep the same promises as PostgreSQL: DDL inside transactions, foreign keys on."""
from sqlalchemy import event


def make_sqlite_transactional(engine):
    """Take transaction control away from the pysqlite driver.

    By default pysqlite emits no BEGIN before DDL, so a failed migration leaves
    its CREATE and ALTER statements behind, and a test's rolled-back outer
    transaction does not isolate it. SQLAlchemy's documented recipe: put the
    driver in autocommit mode and emit BEGIN ourselves.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None
        # SQLite ignores FOREIGN KEY clauses unless asked, per connection.
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN")
