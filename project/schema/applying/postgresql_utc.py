"""PostgreSQL sessions in UTC, the zone the project's naive datetimes are in.

The app stores times as naive UTC. PostgreSQL reads and writes naive times in
the session's TimeZone, the server's unless set: on a server set to
Europe/Berlin, `server_default=func.now()` stored 13:00 for 12:00 UTC, beside
the app's own 12:00, and a `timestamp` made `timestamptz` would read both an
hour off. Every connection of the app, migrations included, is set to UTC
(SQLAlchemy's documented recipe for a per-connection setting).
"""
from sqlalchemy import event


def keep_sessions_in_utc(engine):
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        # Outside a transaction, so that no rollback takes the setting back.
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
        dbapi_connection.autocommit = autocommit
