"""A database's schema as comparable facts, and the differences between two of them.

What a squash must keep: tables, column types and nullability, primary keys,
foreign keys, indexes, unique and check constraints (and PostgreSQL's enum
types). Types are compared as the database spells them.
"""
import re

from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError

from project.schema.viewing.er_model import BOOKKEEPING_TABLES


def schema_snapshot(connection):
    """{(kind, table): set of facts} for every table but Alembic's own."""
    inspector = inspect(connection)
    dialect = connection.dialect
    snapshot = {}
    for table in sorted(set(inspector.get_table_names()) - BOOKKEEPING_TABLES):
        snapshot[("columns", table)] = {
            (column["name"], spelled(column["type"], dialect),
             "NULL" if column["nullable"] else "NOT NULL")
            for column in inspector.get_columns(table)
        }
        key = inspector.get_pk_constraint(table)
        snapshot[("primary key", table)] = {
            (key.get("name"), tuple(key["constrained_columns"]))
        }
        snapshot[("foreign keys", table)] = {
            (key["name"], tuple(key["constrained_columns"]), key["referred_table"],
             tuple(key["referred_columns"]), tuple(sorted(key.get("options", {}).items())))
            for key in inspector.get_foreign_keys(table)
        }
        snapshot[("indexes", table)] = {
            (index["name"], tuple(index["column_names"]),
             tuple(index.get("expressions") or ()), bool(index["unique"]))
            for index in inspector.get_indexes(table)
        }
        snapshot[("unique constraints", table)] = {
            (unique["name"], tuple(unique["column_names"]))
            for unique in inspector.get_unique_constraints(table)
        }
        snapshot[("check constraints", table)] = {
            (check["name"], squeezed(check["sqltext"]))
            for check in inspector.get_check_constraints(table)
        }
    if dialect.name == "postgresql":
        snapshot[("enum types", "")] = {
            (enum["name"], tuple(enum["labels"])) for enum in inspector.get_enums()
        }
    for (kind, table), facts in catalog_facts(connection).items():
        if table not in BOOKKEEPING_TABLES:
            snapshot.setdefault((kind, table), set()).update(facts)
    return snapshot


# SQLAlchemy's inspector leaves out what it cannot reflect (an expression index on
# SQLite, an exclusion constraint on PostgreSQL, a column-level CHECK on MariaDB):
# the database's own catalog lists them, so that a squash that loses one is refused.
CATALOG_QUERIES = {
    "sqlite": [(
        "indexes in sqlite_master",
        "SELECT tbl_name, name, '' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
    )],
    "postgresql": [
        ("constraints in pg_constraint",
         "SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
         "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
         "WHERE n.nspname = current_schema()"),
        ("indexes in pg_indexes",
         "SELECT tablename, indexname, indexdef FROM pg_indexes "
         "WHERE schemaname = current_schema()"),
    ],
    "mysql": [(
        "check constraints in information_schema",
        "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE "
        "FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
    )],
}
CATALOG_QUERIES["mariadb"] = CATALOG_QUERIES["mysql"]


def catalog_facts(connection):
    facts = {}
    for kind, query in CATALOG_QUERIES.get(connection.dialect.name, []):
        try:
            rows = connection.exec_driver_sql(query).all()
        except DBAPIError:
            # MySQL's CHECK_CONSTRAINTS has no TABLE_NAME (MariaDB's has): the inspector's
            # facts are all there is to compare there.
            continue
        for table, name, definition in rows:
            facts.setdefault((kind, table), set()).add((name, squeezed(definition)))
    return facts


def spelled(column_type, dialect):
    return column_type.compile(dialect=dialect)


def squeezed(sql):
    return re.sub(r"\s+", " ", str(sql)).strip()


def snapshot_differences(original, squashed):
    """Lines naming each fact one schema has and the other lacks; [] when they are equal."""
    lines = []
    for kind, table in sorted(set(original) | set(squashed)):
        where = f"{kind} of {table}" if table else kind
        for fact in sorted(original.get((kind, table), set()) - squashed.get((kind, table), set()),
                           key=repr):
            lines.append(f"{where}: only the original history makes {format_fact(fact)}")
        for fact in sorted(squashed.get((kind, table), set()) - original.get((kind, table), set()),
                           key=repr):
            lines.append(f"{where}: only the squashed history makes {format_fact(fact)}")
    return lines


def format_fact(fact):
    return " ".join(str(part) for part in fact if part not in ((), None))
