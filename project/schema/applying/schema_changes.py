"""What a revision changed in the schema, found by reflecting it before and after.

A revision that fails part-way on a database that commits DDL as it goes
leaves part of itself behind. Its statements cannot say which part (a
statement may fail after it did half its work, a helper may run SQL nobody
logged), but the database can: reflect the schema with SQLAlchemy's
inspector before the revision runs and after it fails, and compare.
"""
from dataclasses import asdict, dataclass

import sqlalchemy as sa

# Where project.schema.applying.partial keeps its mark.
PARTIAL_REVISION_TABLE = "alembic_partial_revision"
# Alembic's bookkeeping and ours: never part of what a revision changes.
BOOKKEEPING_TABLES = {"alembic_version", PARTIAL_REVISION_TABLE}

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class SchemaChange:
    change: str  # ADDED, REMOVED or CHANGED
    kind: str  # table, column, index, unique constraint, foreign key, check constraint, type
    table: str | None
    name: str

    @property
    def key(self):
        """Its key in a schema_picture."""
        return self.kind, self.table, self.name

    @property
    def what(self):
        if self.kind == "column":
            return f"column {self.table}.{self.name}"
        where = f" on {self.table}" if self.table and self.kind != "table" else ""
        return f"{self.kind} {self.name}{where}"

    def describe(self):
        return f"{self.change} {self.what}"

    def as_dict(self):
        return asdict(self)


def schema_picture(connection):
    """{(kind, table, name): what defines it} for every object a revision may create or drop."""
    inspector = sa.inspect(connection)
    tables = [name for name in inspector.get_table_names() if name not in BOOKKEEPING_TABLES]
    picture = {("table", name, name): () for name in tables}
    if not tables:
        return picture
    only = {"filter_names": tables}
    for (_, table), columns in inspector.get_multi_columns(**only).items():
        for column in columns:
            picture[("column", table, column["name"])] = (
                column["type"].compile(dialect=connection.dialect), column["nullable"],
            )
    for (_, table), indexes in inspector.get_multi_indexes(**only).items():
        for index in indexes:
            # MariaDB reflects each unique constraint as an index too: count it once.
            if "duplicates_constraint" not in index:
                picture[("index", table, index["name"])] = (
                    tuple(index["column_names"]), index["unique"],
                )
    for (_, table), uniques in inspector.get_multi_unique_constraints(**only).items():
        for unique in uniques:
            name = unique["name"] or "unnamed on " + "+".join(unique["column_names"])
            picture[("unique constraint", table, name)] = tuple(unique["column_names"])
    for (_, table), keys in inspector.get_multi_foreign_keys(**only).items():
        for key in keys:
            name = key["name"] or "unnamed on " + "+".join(key["constrained_columns"])
            picture[("foreign key", table, name)] = (
                tuple(key["constrained_columns"]), key["referred_table"],
                tuple(key["referred_columns"]),
            )
    for (_, table), checks in inspector.get_multi_check_constraints(**only).items():
        for check in checks:
            name = check["name"] or "unnamed: " + check["sqltext"]
            picture[("check constraint", table, name)] = check["sqltext"]
    # PostgreSQL's enum types outlive the tables that use them.
    for enum in getattr(inspector, "get_enums", lambda: [])():
        picture[("type", None, enum["name"])] = tuple(enum["labels"])
    return picture


def schema_changes(before, after):
    """The SchemaChanges that turn picture `before` into `after`, tables first.

    Objects inside an added or removed table are that table's: not listed again.
    """
    whole_tables = {
        table for kind, table, _ in before.keys() ^ after.keys() if kind == "table"
    }
    changes = []
    for key in sorted(before.keys() | after.keys(), key=_tables_first):
        kind, table, name = key
        if kind != "table" and table in whole_tables:
            continue
        if key not in before:
            changes.append(SchemaChange(ADDED, kind, table, name))
        elif key not in after:
            changes.append(SchemaChange(REMOVED, kind, table, name))
        elif before[key] != after[key]:
            changes.append(SchemaChange(CHANGED, kind, table, name))
    return changes


KIND_ORDER = ["table", "column", "foreign key", "unique constraint", "check constraint",
              "index", "type"]


def _tables_first(key):
    kind, table, name = key
    return KIND_ORDER.index(kind), table or "", name or ""
