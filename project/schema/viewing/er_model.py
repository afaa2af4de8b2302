"""The tables of a MetaData as an ER diagram sees them: columns, keys, and their blueprint.

The same description serves the models (the app's MetaData) and the connected
database (a MetaData reflected from it), so that the two drawings compare.
"""
from dataclasses import dataclass, field

from sqlalchemy import Enum, MetaData
from sqlalchemy.exc import CompileError

from project.schema.viewing.owners import UNOWNED

# Alembic's bookkeeping, not the application's schema.
BOOKKEEPING_TABLES = {"alembic_version", "alembic_partial_revision"}


@dataclass
class ColumnBox:
    name: str
    type: str
    nullable: bool
    primary_key: bool
    foreign_key: bool
    unique: bool


@dataclass
class TableBox:
    name: str
    blueprint: str
    columns: list = field(default_factory=list)


@dataclass(frozen=True)
class ForeignKeyEdge:
    table: str
    column: str
    referred_table: str
    referred_column: str
    nullable: bool
    name: str


def er_model(metadata, owners):
    """(tables sorted by blueprint then name, foreign-key edges) of `metadata`."""
    tables, edges = [], []
    for table in metadata.sorted_tables:
        if table.name in BOOKKEEPING_TABLES:
            continue
        unique_columns = {
            constraint.columns[0].name for constraint in table.constraints
            if type(constraint).__name__ == "UniqueConstraint" and len(constraint.columns) == 1
        } | {
            index.columns[0].name for index in table.indexes
            if index.unique and len(index.columns) == 1
        }
        box = TableBox(table.name, owners.get(table.name, UNOWNED))
        for column in table.columns:
            box.columns.append(ColumnBox(
                column.name, type_name(column.type), column.nullable, column.primary_key,
                bool(column.foreign_keys), column.name in unique_columns,
            ))
            for key in column.foreign_keys:
                edges.append(ForeignKeyEdge(
                    table.name, column.name, key.column.table.name, key.column.name,
                    column.nullable, key.constraint.name or "",
                ))
        tables.append(box)
    tables.sort(key=lambda box: (box.blueprint, box.name))
    return tables, sorted(edges, key=lambda edge: (edge.table, edge.column))


def type_name(column_type):
    if isinstance(column_type, Enum):
        return f"ENUM {column_type.name or ''}".strip()
    try:
        return str(column_type)
    except CompileError:
        return type(column_type).__name__.upper()


def reflected_metadata(connection):
    metadata = MetaData()
    metadata.reflect(bind=connection)
    return metadata
