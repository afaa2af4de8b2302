"""The source of a squashed revision: the schema at REV created at once, the carried data steps.

The schema is read back from a scratch database the original history built,
and written as Alembic operations: create each table with its keys and
constraints, then its indexes. Types are written generic where SQLAlchemy
can (INTEGER, VARCHAR(64), an Enum), so the script reads like any other.
"""
import datetime

from alembic.autogenerate import render_python_code
from alembic.operations import ops
from sqlalchemy import Enum, MetaData

from project.schema.viewing.er_model import BOOKKEEPING_TABLES

TEMPLATE = '''"""{message}

{explanation}

Revision ID: {revision}
Revises:
Create Date: {created}

"""
from alembic import op
import sqlalchemy as sa
{dialect_imports}

# revision identifiers, used by Alembic.
revision = {revision!r}
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
{upgrade}{data_step_calls}


def downgrade():
{downgrade}
{data_step_functions}'''


def reflected_schema(connection):
    metadata = MetaData()
    metadata.reflect(bind=connection)
    for table in list(metadata.tables.values()):
        if table.name in BOOKKEEPING_TABLES:
            metadata.remove(table)
    for table in metadata.tables.values():
        for column in table.columns:
            column.type = portable(column.type)
            tidy_column(column)
        for item in (table, *table.constraints, *table.indexes):
            drop_empty_dialect_options(item)
        drop_implicit_foreign_key_indexes(table)
    return metadata


def tidy_column(column):
    """What reflection spells out but a written model leaves to the database's defaults."""
    column.autoincrement = "auto"
    default = column.server_default
    # PostgreSQL shows a serial column's sequence as its default; "auto" makes it again.
    if default is not None and str(getattr(default, "arg", "")).startswith("nextval("):
        column.server_default = None


def drop_empty_dialect_options(item):
    """Options reflection spells out at their defaults (postgresql_include=[], ...)."""
    for name, value in list(item.dialect_kwargs.items()):
        if not value:
            del item.dialect_kwargs[name]


def portable(column_type):
    """The generic twin of a reflected type where SQLAlchemy knows one."""
    try:
        generic = column_type.as_generic()
    except NotImplementedError:
        return column_type
    if isinstance(column_type, Enum) and isinstance(generic, Enum):
        generic.name = column_type.name
    return generic


def drop_implicit_foreign_key_indexes(table):
    """MariaDB/MySQL index every foreign key under the key's name: creating the key makes it."""
    keys = {
        (key.name, tuple(column.name for column in key.columns))
        for key in table.foreign_key_constraints
    }
    for index in list(table.indexes):
        if (index.name, tuple(column.name for column in index.columns)) in keys:
            table.indexes.remove(index)


def squashed_source(metadata, revision, message, explanation, data_steps):
    upgrade_ops, downgrade_ops = schema_operations(metadata)
    upgrade = without_banners(render_python_code(upgrade_ops))
    downgrade = without_banners(render_python_code(downgrade_ops)) + drop_enum_types(metadata)
    code = upgrade + downgrade + "".join(step.source for step in data_steps)
    dialect_imports = "".join(
        f"from sqlalchemy.dialects import {name}\n"
        for name in ("mysql", "postgresql", "sqlite") if f"{name}." in code
    )
    return TEMPLATE.format(
        message=message, explanation=explanation, revision=revision,
        created=datetime.datetime.now(), dialect_imports=dialect_imports,
        upgrade=upgrade.rstrip(), downgrade=downgrade.rstrip(),
        data_step_calls="".join(f"\n    {step.function_name}()" for step in data_steps),
        data_step_functions="".join(f"\n\n{step.source}\n" for step in data_steps),
    )


def without_banners(code):
    """Alembic's "commands auto generated" comments: this script is not to be adjusted by hand."""
    return "".join(line for line in code.splitlines(keepends=True) if "# ###" not in line)


def schema_operations(metadata):
    creates, drops = [], []
    for table in metadata.sorted_tables:
        creates.append(ops.CreateTableOp.from_table(table))
        for index in sorted(table.indexes, key=lambda index: index.name):
            creates.append(ops.CreateIndexOp.from_index(index))
    for table in reversed(metadata.sorted_tables):
        drops.append(ops.DropTableOp.from_table(table))
    return ops.UpgradeOps(creates), ops.DowngradeOps(drops)


def drop_enum_types(metadata):
    """PostgreSQL keeps an enum type after its table is dropped; the next upgrade would fail."""
    names = sorted({
        column.type.name for table in metadata.tables.values() for column in table.columns
        if isinstance(column.type, Enum) and column.type.name
    })
    if not names:
        return ""
    drops = "".join(f'        op.execute("DROP TYPE IF EXISTS {name}")\n' for name in names)
    return f'    if op.get_bind().dialect.name == "postgresql":\n{drops}'
