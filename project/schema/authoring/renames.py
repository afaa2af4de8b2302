"""Keep a rename a rename: rewrite autogenerate's drop + add into `alter_column` / `rename_table`
(the table's half of the rewrite: table_renames.py).

Autogenerate sees a renamed field as one column gone and another come, and
writes a drop and an add: the data goes with the drop. A pair that could be a
rename (same table, values of the same kind; or a table that disappears while
one with the same columns appears) is rewritten when the user says so, by
`-x rename=...` or on a terminal. The rewrite is applied to the upgrade and,
mirrored, to the downgrade, so that both keep the data.
"""
import sys
from dataclasses import dataclass

from alembic.operations import ops
from alembic.util import CommandError
from sqlalchemy import Enum
from sqlalchemy.dialects import mysql

from project.schema.applying.enum_ops import (
    CreateEnumTypeOp,
    DropChecksOfColumnOp,
    DropEnumTypeOp,
    RenameChecksOfColumnOp,
)
from project.schema.authoring.destructive import narrows
from project.schema.authoring.op_tree import (
    leaf_operations,
    replace,
    table_of,
)


@dataclass(frozen=True)
class ColumnRename:
    table: str
    old: str
    new: str

    @property
    def source(self):
        return f"{self.table}.{self.old}"

    @property
    def target(self):
        return f"{self.table}.{self.new}"

    @property
    def question(self):
        return f"Was {self.source} renamed to {self.target}? [y/N] "

    @property
    def flag(self):
        return f"rename={self.table}.{self.old}:{self.new}"


def ask_on_terminal(question, read=input):
    """Ask a yes/no question; anything but yes, end of input included, is no."""
    try:
        return read(question).strip().lower() in ("y", "yes")
    except EOFError:
        return False


def terminal_asker():
    """`ask_on_terminal` when stdin is a terminal; None otherwise: CI never waits on a prompt."""
    return ask_on_terminal if sys.stdin.isatty() else None


def same_kind_of_value(old_type, new_type):
    try:
        return kind_of_value(old_type) is kind_of_value(new_type)
    except NotImplementedError:
        return False


def kind_of_value(type_):
    """The Python type of the column's values, as the model means them.

    MySQL and MariaDB have no boolean type: a Boolean column is TINYINT(1),
    and is reflected as such. An Enum of a Python enum class holds its values
    as text, and is reflected as text (SQLite) or as an enum without the class.
    """
    if isinstance(type_, mysql.TINYINT) and type_.display_width == 1:
        return bool
    if isinstance(type_, Enum):
        return str
    return type_.python_type


def column_rename_candidates(upgrade_ops):
    """Every (dropped, added) column pair of one table whose values are of the same kind."""
    dropped, added = {}, {}
    for _, op in leaf_operations(upgrade_ops):
        if isinstance(op, ops.DropColumnOp):
            dropped.setdefault(op.table_name, []).append(op.to_column())
        elif isinstance(op, ops.AddColumnOp):
            added.setdefault(op.table_name, []).append(op.column)
    return [
        ColumnRename(table, old.name, new.name)
        for table, old_columns in dropped.items()
        for old in old_columns
        for new in added.get(table, [])
        if same_kind_of_value(old.type, new.type)
    ]


def choose_renames(candidates, requested, ask, askable=None):
    """The candidates to rewrite: those asked for with `-x`, then those confirmed on a terminal.

    Only the `askable` candidates (default: all) are put to `ask`.

    Each dropped and each added name is used once. A requested rename that
    matches no candidate is a mistake the user must hear about.
    """
    chosen, used = [], set()
    for rename in candidates:
        if rename.flag in requested:
            chosen.append(rename)
            used.update(ends_of(rename))
    unmatched = requested - {rename.flag for rename in chosen}
    if unmatched:
        raise CommandError(
            "Nothing to rename for " + ", ".join(f"-x {flag}" for flag in sorted(unmatched))
            + ": autogenerate found no such drop and add of the same kind of value."
        )
    if ask:
        for rename in candidates if askable is None else askable:
            if not used & ends_of(rename) and ask(rename.question):
                chosen.append(rename)
                used.update(ends_of(rename))
    return chosen


def ends_of(rename):
    return {("source", rename.source), ("target", rename.target)}


def rewrite_column_rename(upgrade_ops, downgrade_ops, rename):
    replace_column_pair(upgrade_ops, rename.table, rename.old, rename.new)
    replace_column_pair(downgrade_ops, rename.table, rename.new, rename.old)


def replace_column_pair(operations, table, dropped_name, added_name):
    """Put an `alter_column(dropped, new_column_name=added)` where the drop was; remove the add.

    The index and foreign key ops autogenerate wrote beside the pair stay:
    they drop the old names and create the ones the naming convention gives
    the new column, and ordering.py puts them around the rename.
    """
    leaves = [
        (container, op) for container, op in leaf_operations(operations) if table_of(op) == table
    ]
    drop_container, drop = next(
        (container, op) for container, op in leaves
        if isinstance(op, ops.DropColumnOp) and op.column_name == dropped_name
    )
    add_container, add = next(
        (container, op) for container, op in leaves
        if isinstance(op, ops.AddColumnOp) and op.column.name == added_name
    )
    replace(drop_container, drop, [renaming_alter(table, drop.to_column(), add.column)])
    replace(add_container, add, [])
    carry_checks_over(drop_container, add_container, dropped_name, added_name)
    keep_enum_type(operations, drop.to_column(), add.column)


def carry_checks_over(drop_container, add_container, dropped_name, added_name):
    """The CHECKs enums.py drops with the dropped column are renamed with it instead."""
    for container, name in ((drop_container, dropped_name), (add_container, added_name)):
        for op in list(container.ops):
            if isinstance(op, DropChecksOfColumnOp) and op.column_name == name:
                renamed = [] if op.unwritten else [
                    RenameChecksOfColumnOp(op.table_name, dropped_name, added_name)
                ]
                replace(container, op, renamed)


def keep_enum_type(operations, old, new):
    """The renamed column keeps its enum type: enums.py made the type for the add, or
    dropped it after the drop, as if they were unrelated; unless another column needs that."""
    names = {getattr(column.type, "name", None) for column in (old, new)} - {None}
    needed = {
        getattr(column.type, "name", None)
        for _, op in leaf_operations(operations)
        for column in columns_added_or_dropped(op)
    }
    operations.ops[:] = [
        op for op in operations.ops
        if not (isinstance(op, (CreateEnumTypeOp, DropEnumTypeOp))
                and op.enum_name in names - needed)
    ]


def columns_added_or_dropped(op):
    if isinstance(op, ops.AddColumnOp):
        return [op.column]
    if isinstance(op, ops.DropColumnOp):
        return [op.to_column()]
    if isinstance(op, (ops.CreateTableOp, ops.DropTableOp)):
        return list(op.to_table().columns)
    return []


def renaming_alter(table, old, new):
    """`alter_column` that renames `old` to `new`, changing type or nullability only if they differ.

    MariaDB renames with CHANGE COLUMN, which restates the whole column: it
    needs the existing type, nullability and default.
    """
    # A boolean stays a boolean: MariaDB's TINYINT(1) is what Boolean becomes there.
    both_boolean = kind_of_value(old.type) is bool and kind_of_value(new.type) is bool
    type_changes = not both_boolean and not same_enum_values(old.type, new.type) and (
        narrows(old.type, new.type) or narrows(new.type, old.type)
    )
    return ops.AlterColumnOp(
        table,
        old.name,
        modify_name=new.name,
        existing_type=old.type,
        existing_nullable=old.nullable,
        existing_server_default=old.server_default or False,
        modify_type=new.type if type_changes else None,
        modify_nullable=new.nullable if new.nullable != old.nullable else None,
    )


def same_enum_values(old_type, new_type):
    """An enum read back from the database has no Python class: its values are what count."""
    return (
        isinstance(old_type, Enum) and isinstance(new_type, Enum)
        and list(old_type.enums) == list(new_type.enums)
    )
