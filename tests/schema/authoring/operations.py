"""Alembic operations built by hand, in the shapes autogenerate gives them."""
from alembic.operations import ops
from sqlalchemy import Column, Integer, MetaData, String, Table, UniqueConstraint


def column(name, type_=None, **kw):
    return Column(name, type_ if type_ is not None else String(64), **kw)


def drop_column(table, name, type_=None, nullable=False):
    dropped = column(name, type_, nullable=nullable)
    return ops.DropColumnOp.from_column_and_tablename(None, table, dropped)


def add_column(table, name, type_=None, **kw):
    return ops.AddColumnOp(table, column(name, type_, **kw))


def batch(table, *operations):
    return ops.ModifyTableOps(table, list(operations))


def table(name, *columns, unique=()):
    metadata = MetaData()
    return Table(
        name, metadata, Column("id", Integer, primary_key=True), *columns,
        *(UniqueConstraint(c, name=f"uq_{name}_{c}") for c in unique),
    )


def script(*operations):
    """A MigrationScript whose downgrade is the reverse of its upgrade, as autogenerate makes it."""
    upgrade = ops.UpgradeOps(ops=list(operations))
    return ops.MigrationScript("abc123", upgrade, upgrade.reverse())
