"""Keep a renamed table a renamed table: `rename_table` in place of autogenerate's drop and create.

renames.py finds the candidates and asks; this module is the table's half:
which dropped and created tables could be one renamed, and the rewrite, with
everything the naming convention names after the table.
"""
from dataclasses import dataclass

from alembic.autogenerate import renderers
from alembic.operations import ops
from sqlalchemy import UniqueConstraint

from project.schema.applying.enum_ops import CreateEnumTypeOp, DropEnumTypeOp
from project.schema.authoring.checks import checks_renamed_with_table
from project.schema.authoring.op_tree import replace, table_block_operations
from project.schema.authoring.renames import kind_of_value


@dataclass(frozen=True)
class TableRename:
    old: str
    new: str

    @property
    def source(self):
        return self.old

    @property
    def target(self):
        return self.new

    @property
    def question(self):
        return f"Was table {self.old} renamed to {self.new}? [y/N] "

    @property
    def flag(self):
        return f"rename={self.old}:{self.new}"


def table_rename_candidates(upgrade_ops):
    """Every (dropped, created) table pair with the same column names and kinds of value."""

    def shape(table):
        try:
            return {column.name: kind_of_value(column.type) for column in table.columns}
        except NotImplementedError:
            return None

    dropped = [op.to_table() for op in upgrade_ops.ops if isinstance(op, ops.DropTableOp)]
    created = [op.to_table() for op in upgrade_ops.ops if isinstance(op, ops.CreateTableOp)]
    return [
        TableRename(old.name, new.name)
        for old in dropped
        for new in created
        if shape(old) is not None and shape(old) == shape(new)
    ]


def rewrite_table_rename(upgrade_ops, downgrade_ops, rename):
    replace_table_pair(upgrade_ops, rename.old, rename.new, rename.new)
    replace_table_pair(downgrade_ops, rename.new, rename.old, rename.new)


def replace_table_pair(operations, dropped_name, created_name, model_table_name):
    """Put `rename_table` first, in place of the new table's creation; drop the old table's ops.

    The naming convention names constraints after their table, so the renamed
    table's unique constraints are recreated under the new names, and its
    indexes, which autogenerate drops by their old names, are dropped after
    the rename; autogenerate's own `create_index` ops for the new table follow.
    Without this, `flask db check` would find the old names and ask again. An
    index named outright, the same on both tables, is neither dropped nor made
    again; checks are made again under the new table's names (checks.py); the
    table's enum types stay, neither made nor dropped (enums.py took the pair
    for a new table and a dropped one).
    """
    drop = next(
        op for op in operations.ops
        if isinstance(op, ops.DropTableOp) and op.table_name == dropped_name
    )
    create = next(
        op for op in operations.ops
        if isinstance(op, ops.CreateTableOp) and op.table_name == created_name
    )
    leave_unchanged_indexes(operations, dropped_name, created_name)
    index_drops = table_block_operations(operations, dropped_name)
    for op in index_drops:
        op.table_name = created_name
    index_creates = table_block_operations(operations, created_name)
    constraint_ops = unique_constraint_renames(
        uniques(drop.to_table(), index_drops), uniques(create.to_table(), index_creates)
    )
    for op in constraint_ops:
        op.table_name = created_name
    model = model_table(drop, create, model_table_name)
    constraint_ops += checks_renamed_with_table(model, dropped_name, created_name)
    keep_enum_types_of(operations, model)
    operations.ops[:] = [
        op for op in operations.ops
        if op is not drop
        and not (isinstance(op, ops.ModifyTableOps) and op.table_name == dropped_name)
    ]
    after_rename = index_drops + constraint_ops
    follow_up = [ops.ModifyTableOps(created_name, after_rename)] if after_rename else []
    # First of all: other tables' foreign keys in this script refer to the table
    # by its new name, and would fail against a table not yet renamed.
    replace(operations, create, [])
    operations.ops[:0] = [ops.RenameTableOp(dropped_name, created_name), *follow_up]


def model_table(drop, create, name):
    """The models' own Table `name`, whose constraints carry their final names: the creation
    of the upgrade, or the drop of the downgrade, came from it."""
    for op in (create, drop._reverse):
        metadata = getattr(op, "_namespace_metadata", None)
        if metadata is not None and name in metadata.tables:
            return metadata.tables[name]
    return create.to_table()


def leave_unchanged_indexes(operations, dropped_name, created_name):
    """Take out each index autogenerate drops from the old table and makes on the new one
    under the same name, columns and uniqueness: the rename keeps it as it is."""
    def key(op):
        index = op.to_index()
        return (str(index.name), tuple(str(getattr(e, "name", e)) for e in index.expressions),
                bool(index.unique))

    dropped = {key(op) for op in table_block_operations(operations, dropped_name)
               if isinstance(op, ops.DropIndexOp)}
    created = {key(op) for op in table_block_operations(operations, created_name)
               if isinstance(op, ops.CreateIndexOp)}
    unchanged = dropped & created
    for block in operations.ops:
        if isinstance(block, ops.ModifyTableOps) and block.table_name in (dropped_name,
                                                                          created_name):
            block.ops[:] = [op for op in block.ops
                            if not (isinstance(op, (ops.DropIndexOp, ops.CreateIndexOp))
                                    and key(op) in unchanged)]
    operations.ops[:] = [op for op in operations.ops
                         if not (isinstance(op, ops.ModifyTableOps) and not op.ops)]


def keep_enum_types_of(operations, table):
    """The renamed table keeps its enum types: no `create_enum_type` or `drop_enum_type` of
    them, which enums.py wrote for the creation and the drop the rename replaces."""
    names = {getattr(column.type, "name", None) for column in table.columns} - {None}
    operations.ops[:] = [
        op for op in operations.ops
        if not (isinstance(op, (CreateEnumTypeOp, DropEnumTypeOp)) and op.enum_name in names)
    ]


def uniques(table, index_ops):
    """Columns -> unique constraint or unique index, of `table` and of the index ops beside it.

    Alembic keeps a table's indexes out of its create and drop ops, and
    MariaDB reflects every unique constraint as a unique index.
    """
    found = {
        tuple(column.name for column in constraint.columns): constraint
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    }
    for op in index_ops:
        index = op.to_index()
        if index.unique:
            found[tuple(column.name for column in index.columns)] = index
    return found


def unique_constraint_renames(old_uniques, new_uniques):
    """Drop the old unique constraints and create the new ones, where only the names differ.

    Unique indexes need nothing more: autogenerate already drops the old
    table's and creates the new table's.
    """
    renamed = [
        (old_uniques[columns], new)
        for columns, new in new_uniques.items()
        if columns in old_uniques and old_uniques[columns].name != new.name
    ]
    return [
        ops.DropConstraintOp.from_constraint(old)
        for old, _ in renamed if isinstance(old, UniqueConstraint)
    ] + [
        ops.CreateUniqueConstraintOp.from_constraint(new)
        for _, new in renamed if isinstance(new, UniqueConstraint)
    ]


@renderers.dispatch_for(ops.RenameTableOp)
def render_rename_table(autogen_context, op):
    """Autogenerate has no renderer for `rename_table`: it never writes one on its own."""
    return f"op.rename_table({op.table_name!r}, {op.new_table_name!r})"
