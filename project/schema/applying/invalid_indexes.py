"""PostgreSQL: an INVALID index left by a failed concurrent build is dropped before it is rebuilt.

CREATE INDEX CONCURRENTLY that fails (a duplicate for a unique index, a lock
or statement timeout) does not roll back: it leaves the index behind, marked
invalid, unused by queries but still costing every write, and the next try
fails with "relation already exists". So a failure that left nothing else
behind is not marked as partly applied (the index is named instead), and
before revisions run, the indexes they create are looked up in pg_index;
those not valid are dropped, and said so. That also covers a build whose
process was killed before it could say anything.
"""
import ast
import logging
from pathlib import Path

from sqlalchemy import text

from project.schema.applying.schema_changes import ADDED

logger = logging.getLogger("alembic.env")

INVALID_INDEXES = text(
    "SELECT index.relname, tab.relname FROM pg_index i "
    "JOIN pg_class index ON index.oid = i.indexrelid "
    "JOIN pg_class tab ON tab.oid = i.indrelid "
    "WHERE NOT i.indisvalid AND pg_table_is_visible(index.oid) AND index.relname = ANY(:names)"
)


def drop_invalid_indexes(steps, heads, migration_context):
    """Drop the invalid indexes that the upgrade steps about to run will create."""
    by_name = {
        name: step.revision
        for step in steps
        if step.is_upgrade and hasattr(step, "revision")
        for name in indexes_created_in(Path(step.revision.path).read_text())
    }
    if not by_name:
        return
    # On the migration's own connection, in its transaction: it has read the
    # tables already (the precautions do), and DROP INDEX CONCURRENTLY from
    # another connection would wait for it. An invalid index drops at once;
    # the lock it needs meanwhile is bounded by the migration's lock_timeout.
    connection = migration_context.connection
    for index, table in connection.execute(INVALID_INDEXES, {"names": sorted(by_name)}):
        revision = by_name[index]
        logger.info(
            "index %s on %s is INVALID, left by a failed concurrent build; dropping it "
            "before revision %s (%s) builds it again", index, table, revision.revision,
            revision.doc,
        )
        quoted = connection.dialect.identifier_preparer.quote(index)
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {quoted}")


def indexes_created_in(source):
    """The names given to `create_index(...)` calls in a revision script, where they are literal."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "create_index":
            name = node.args[0] if node.args else next(
                (kw.value for kw in node.keywords if kw.arg == "index_name"), None
            )
            # op.f('ix_name') marks a name already final under the naming convention.
            if isinstance(name, ast.Call) and name.args:
                name = name.args[0]
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                names.add(name.value)
    return names


def left_invalid(connection, what_stayed):
    """The indexes among the SchemaChanges `what_stayed` that PostgreSQL holds INVALID."""
    added = [change for change in what_stayed if change.change == ADDED and change.kind == "index"]
    if connection.dialect.name != "postgresql" or not added:
        return []
    invalid = {
        index for index, _ in
        connection.execute(INVALID_INDEXES, {"names": [change.name for change in added]})
    }
    connection.rollback()
    return [change for change in added if change.name in invalid]


def invalid_index_note(invalid):
    """What the failure message adds about the indexes a failed concurrent build left INVALID."""
    names = ", ".join(change.what for change in invalid)
    return (
        f" Its concurrent build left {names} INVALID (unused by queries, nothing to resolve): "
        "the next `flask db upgrade` drops it before building it again."
    )
