"""A revision that failed half-way on a database that cannot roll DDL back, if one is marked.

The mark is a table beside alembic_version, written by `flask db upgrade` when
a revision fails part-way: its revision, the direction it ran, and what of it
stayed. It is read defensively: the table may be absent, or have other columns.
"""
from sqlalchemy import MetaData, Table, inspect, select

PARTIAL_REVISION_TABLE = "alembic_partial_revision"


def partial_revisions(connection):
    """[{"revision", "direction", "stayed"}] for every mark, or [] when there is none."""
    if not inspect(connection).has_table(PARTIAL_REVISION_TABLE):
        return []
    table = Table(PARTIAL_REVISION_TABLE, MetaData(), autoload_with=connection)
    marks = []
    for row in connection.execute(select(table)).mappings():
        other = [
            str(value) for name, value in row.items()
            if name not in ("revision", "direction") and value is not None
        ]
        marks.append({
            "revision": row.get("revision"),
            "direction": row.get("direction"),
            "stayed": "; ".join(other),
        })
    return marks
