"""MariaDB and MySQL: a revision refuses a value that does not fit, whatever the server's sql_mode.

Outside strict mode, `ALTER TABLE ... MODIFY` cuts a value longer than its
narrowed column and turns text that is no number into 0, with only a warning
(1265, 1292): the value is gone. Strict mode (the server's default since MariaDB
10.2.4 and MySQL 5.7) refuses instead, and the revision fails naming the value;
but whoever runs the server can turn it off. A migration turns it on for its
own session.
"""
STRICT = "STRICT_ALL_TABLES"


def refuse_truncation(connection):
    """Put this MariaDB or MySQL session in strict mode, keeping its other sql_mode flags."""
    if connection.dialect.name not in ("mysql", "mariadb"):
        return
    connection.exec_driver_sql(
        "SET SESSION sql_mode = IF(@@SESSION.sql_mode = '', %s, "
        "CONCAT(@@SESSION.sql_mode, ',', %s))", (STRICT, STRICT))
    # A session setting: it outlives the transaction SQLAlchemy began for it, which ends
    # here, before Alembic begins the revisions' own.
    connection.commit()
