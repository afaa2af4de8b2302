"""Autogenerate's view of enums: values added or removed, and the types that come and go.

Alembic compares a column's type, not the values an enum accepts: a new
member of a Python Enum is no change on PostgreSQL (the type's values are
not compared) and on SQLite or MariaDB it is an unreadable type change.
Here the values are compared on every database (PostgreSQL's type, MariaDB's
ENUM(...), SQLite's CHECK constraint) and written as one operation that each
database carries out its own way (project.schema.applying.enum_ops).

A new Enum type that a column added to an existing table uses is created
before it; a type no remaining column uses is dropped after the last one
goes, and both are reversed in the downgrade. A dropped column that SQLite
reflects as a VARCHAR with a CHECK comes back in the downgrade as the Enum
it was, so that its CHECK comes back too.
"""
import re

from alembic.autogenerate import comparators, renderers
from alembic.operations import ops
from alembic.util import CommandError
from alembic.util.langhelpers import DispatchPriority
from sqlalchemy import Boolean, CheckConstraint, Column, Enum

from project.schema.applying.enum_ops import (
    ChangeEnumValuesOp,
    CreateEnumTypeOp,
    DropChecksOfColumnOp,
    DropEnumTypeOp,
    RenameChecksOfColumnOp,
    RenameEnumTypeOp,
    VALUES_CHECK,
    enum_check_column,
)
from project.schema.authoring.casts import CastingAlterColumnOp, needs_cast
from project.schema.authoring.op_tree import leaf_operations, replace

QUOTED_VALUE = re.compile(r"'((?:[^']|'')*)'")


def compare_type(context, inspected_column, metadata_column, inspected_type, metadata_type):
    """Alembic's `compare_type`: an enum's values are this module's to compare, not Alembic's.

    None hands every other column back to Alembic's own comparison.
    """
    if isinstance(metadata_type, Enum) and (
        isinstance(inspected_type, Enum) or holds_values_in_check(inspected_column)
    ):
        return False
    return None


def holds_values_in_check(column):
    """SQLite: the reflected column is a VARCHAR whose values a CHECK lists (an Enum's)."""
    return any(
        isinstance(constraint, CheckConstraint)
        and enum_check_column(str(constraint.sqltext)) == column.name
        for constraint in column.table.constraints
    )


@comparators.dispatch_for("schema", priority=DispatchPriority.LAST)
def compare_enums(autogen_context, upgrade_ops, schemas):
    """Runs after Alembic's own comparison, on the operations it proposed."""
    if autogen_context.connection is None:
        return
    refuse_shared_checks(autogen_context.metadata)
    existing = existing_enum_columns(autogen_context)
    upgrade_ops.ops.extend(changed_values(autogen_context, existing))
    in_use = {name for name, _ in existing.values()} | enum_names_in(autogen_context.metadata)
    created = created_types(upgrade_ops, {name for name, _ in existing.values()})
    dropped = dropped_types(autogen_context, upgrade_ops, in_use)
    # A renamed type first: every later op names the type by its new name.
    upgrade_ops.ops[:0] = renamed_types(autogen_context, existing) + created
    upgrade_ops.ops.extend(dropped)
    restore_enums_of_dropped_columns(autogen_context, upgrade_ops)
    restore_enums_of_altered_columns(autogen_context, upgrade_ops)
    drop_checks_with_their_columns(autogen_context, upgrade_ops)


def refuse_shared_checks(metadata):
    """Two columns of one table with the same Enum type would share one CHECK name on SQLite.

    The naming convention names an Enum's CHECK after its table and type
    (`ck_tasks_task_status`), whatever the column: SQLite keeps one of the two,
    and the other column takes any value, with `flask db check` clean.
    """
    for table in metadata.sorted_tables:
        first_with = {}
        for column in table.columns:
            if not (is_named_enum(column.type) and column.type.create_constraint):
                continue
            first = first_with.setdefault(column.type.name, column.name)
            if first != column.name:
                raise CommandError(shared_check_message(table.name, first, column))


def shared_check_message(table_name, first, column):
    values = ", ".join(f"'{value}'" for value in column.type.enums)
    return (
        f"{table_name}.{first} and {table_name}.{column.name} share the Enum type "
        f"{column.type.name}, whose CHECK on SQLite is named after the table and the type "
        f"for both: one would replace the other, and that column would take any value. "
        f"Give {column.name}'s Enum create_constraint=False and a check of its own in the "
        f"table's __table_args__, e.g. CheckConstraint(\"{column.name} IN ({values})\", "
        f"name=\"{column.name}_values\")"
    )


def existing_enum_columns(autogen_context):
    """{(table, column): (enum name, metadata Enum)} for enum columns the database has already
    as enums (not a column the models change into one)."""
    inspector = autogen_context.inspector
    tables = set(inspector.get_table_names())
    found = {}
    for table in autogen_context.metadata.sorted_tables:
        if table.schema is not None or table.name not in tables:
            continue
        enums_there = reflected_values(inspector, table.name)
        for column in table.columns:
            if is_named_enum(column.type) and column.name in enums_there:
                found[(table.name, column.name)] = (column.type.name, column.type)
    return found


def renamed_types(autogen_context, existing):
    """Types the models call by another name than the database does, each with the columns
    that use it. PostgreSQL names its type, SQLite the CHECK (`ck_tasks_task_status`); a
    script written on MariaDB, which keeps no name, cannot see a rename."""
    columns = {}
    for (table_name, column_name), (enum_name, type_) in sorted(existing.items()):
        if autogen_context.dialect.name == "sqlite" and not type_.create_constraint:
            continue  # no CHECK made by the type holds its name there
        stored = stored_enum_name(autogen_context, table_name, column_name)
        if stored and stored != enum_name:
            columns.setdefault((stored, enum_name), []).append((table_name, column_name))
    return [RenameEnumTypeOp(old, new, pairs) for (old, new), pairs in columns.items()]


def stored_enum_name(autogen_context, table_name, column_name):
    if autogen_context.dialect.name == "sqlite":
        return check_enum_names(autogen_context, table_name).get(column_name)
    reflected = autogen_context.inspector.get_columns(table_name)
    return next((getattr(column["type"], "name", None) for column in reflected
                 if column["name"] == column_name), None)


def changed_values(autogen_context, existing):
    reflected = {}
    for (table_name, column_name), (enum_name, type_) in existing.items():
        if table_name not in reflected:
            reflected[table_name] = reflected_values(autogen_context.inspector, table_name)
        values = reflected[table_name].get(column_name)
        if values is not None and set(values) != set(type_.enums):
            yield ChangeEnumValuesOp(table_name, column_name, enum_name, values, type_.enums)


def reflected_values(inspector, table_name):
    """{column: values} as the database holds them: its enum type, or SQLite's CHECK."""
    values = {
        column["name"]: list(column["type"].enums)
        for column in inspector.get_columns(table_name)
        if isinstance(column["type"], Enum)
    }
    if inspector.dialect.name == "sqlite":
        for check in inspector.get_check_constraints(table_name):
            match = VALUES_CHECK.match(check["sqltext"])
            if match:
                values[match.group(1)] = [
                    value.replace("''", "'") for value in QUOTED_VALUE.findall(match.group(2))
                ]
    return values


def becomes_enum(op):
    """An alter_column that makes a column of another type into a named enum."""
    return is_named_enum(op.modify_type) and not isinstance(op.existing_type, Enum)


def created_types(upgrade_ops, existing_names):
    """Types that a new column or table needs, or a column changed into an enum, first in the
    upgrade, once each.

    `create_table` makes its types itself: the op is then only there so that
    the downgrade drops them.
    """
    created = {}
    for _, op in leaf_operations(upgrade_ops):
        if isinstance(op, ops.CreateTableOp):
            types, by_table = [getattr(column, "type", None) for column in op.columns], True
        elif isinstance(op, ops.AddColumnOp):
            types, by_table = [op.column.type], False
        elif isinstance(op, ops.AlterColumnOp) and becomes_enum(op):
            types, by_table = [op.modify_type], False
        else:
            continue
        for type_ in types:
            if is_named_enum(type_) and type_.name not in existing_names:
                previous = created.get(type_.name)
                made_by_table = by_table or (previous is not None and previous.made_by_create_table)
                created[type_.name] = CreateEnumTypeOp(type_.name, type_.enums, made_by_table)
    return list(created.values())


def leaves_enum(op):
    """An alter_column giving a column a type that is no enum: if the column was an enum (its
    type says so, or on SQLite its CHECK's name), its type may go."""
    return op.modify_type is not None and not isinstance(op.modify_type, Enum)


def dropped_types(autogen_context, upgrade_ops, in_use):
    """Types of dropped columns and tables, or of columns changed into another type, that no
    column of the models uses: last in the upgrade.

    The type's name is PostgreSQL's; SQLite keeps it in the CHECK's name
    (the naming convention's `ck` pattern); MariaDB keeps none, so a script
    written there cannot name the type to drop.
    """
    dropped = {}
    for _, op in leaf_operations(upgrade_ops):
        if isinstance(op, ops.DropTableOp):
            columns, by_table = [(c.name, c.type) for c in op.to_table().columns], True
        elif isinstance(op, ops.DropColumnOp):
            columns, by_table = [(op.column_name, op.to_column().type)], False
        elif isinstance(op, ops.AlterColumnOp) and leaves_enum(op):
            columns, by_table = [(op.column_name, op.existing_type)], False
        else:
            continue
        table_name = op.table_name
        names = check_enum_names(autogen_context, table_name)
        for column_name, type_ in columns:
            name = getattr(type_, "name", None) or names.get(column_name)
            values = getattr(type_, "enums", None) or reflected_values(
                autogen_context.inspector, table_name
            ).get(column_name)
            if name and values and name not in in_use:
                dropped[name] = DropEnumTypeOp(name, values, by_table)
    return list(dropped.values())


def check_enum_names(autogen_context, table_name):
    """{column: enum name} read back from the names of SQLite's CHECK constraints."""
    convention = autogen_context.metadata.naming_convention.get("ck")
    if autogen_context.dialect.name != "sqlite" or not isinstance(convention, str):
        return {}
    pattern = re.compile(
        re.escape(convention)
        .replace(re.escape("%(table_name)s"), re.escape(table_name))
        .replace(re.escape("%(constraint_name)s"), r"(?P<name>\w+)") + "$"
    )
    names = {}
    for check in autogen_context.inspector.get_check_constraints(table_name):
        match = pattern.match(check.get("name") or "")
        column = enum_check_column(check["sqltext"])
        if match and column:
            names[column] = match.group("name")
    return names


def restore_enums_of_dropped_columns(autogen_context, upgrade_ops):
    """The downgrade re-adds a dropped enum column as an Enum, not as the VARCHAR reflected.

    SQLite reflects the column as VARCHAR and its CHECK apart from it: re-added
    as the VARCHAR, the column would accept any value. As the Enum (named as
    the CHECK's name says) it brings its CHECK back under the same name.
    """
    for _, op in leaf_operations(upgrade_ops):
        if not isinstance(op, ops.DropColumnOp) or op._reverse is None:
            continue
        reflected = op.to_column()
        name = check_enum_names(autogen_context, op.table_name).get(op.column_name)
        values = reflected_values(autogen_context.inspector, op.table_name).get(op.column_name)
        if isinstance(reflected.type, Enum) or not (name and values):
            continue
        default = reflected.server_default
        restored = Column(
            reflected.name, Enum(*values, name=name, create_constraint=True),
            nullable=reflected.nullable, comment=reflected.comment,
            server_default=None if default is None else default._copy(),
        )
        op._reverse = ops.AddColumnOp.from_column_and_tablename(op.schema, op.table_name, restored)


def restore_enums_of_altered_columns(autogen_context, upgrade_ops):
    """An enum column given another type was the Enum, not the VARCHAR SQLite reflects.

    Known as the VARCHAR, the downgrade would give the column back a VARCHAR
    without its CHECK, taking any value, and write no cast for PostgreSQL; as the
    Enum (named as its CHECK's name says), it gets both back.
    """
    for container, op in list(leaf_operations(upgrade_ops)):
        if not isinstance(op, ops.AlterColumnOp) or not leaves_enum(op) or isinstance(
                op.existing_type, Enum):
            continue
        name = check_enum_names(autogen_context, op.table_name).get(op.column_name)
        values = reflected_values(autogen_context.inspector, op.table_name).get(op.column_name)
        if not (name and values):
            continue
        op.existing_type = Enum(*values, name=name, create_constraint=True)
        if needs_cast(op.existing_type, op.modify_type) and not isinstance(
                op, CastingAlterColumnOp):
            replace(container, op, [CastingAlterColumnOp.casting(op, op.column_name)])


def drop_checks_with_their_columns(autogen_context, upgrade_ops):
    """Before a column with a CHECK is dropped, or stops being an enum, in either direction,
    its CHECK goes (SQLite would keep it through the table's copy).

    Upgrade: a dropped column whose type is an Enum or Boolean where it was
    made, or an enum column given another type. Downgrade: a column the upgrade
    adds with such a type, or makes into an enum.
    """
    for block in upgrade_ops.ops:
        if not isinstance(block, ops.ModifyTableOps):
            continue
        for op in list(block.ops):
            position = block.ops.index(op)
            if loses_check(autogen_context, op):
                block.ops.insert(position, DropChecksOfColumnOp(op.table_name, op.column_name))
            elif gains_check(op):
                # Only there so that the reverse, written in the downgrade, is the drop.
                column = op.column.name if isinstance(op, ops.AddColumnOp) else op.column_name
                block.ops.insert(
                    position + 1, DropChecksOfColumnOp(op.table_name, column, unwritten=True)
                )


def loses_check(autogen_context, op):
    """A dropped column, or an enum column given another type, that the database checks."""
    if isinstance(op, ops.DropColumnOp):
        type_ = op.to_column().type
    elif isinstance(op, ops.AlterColumnOp) and leaves_enum(op):
        type_ = op.existing_type
    else:
        return False
    if type_ is not None and carries_check(type_):
        return True
    return op.column_name in reflected_values(autogen_context.inspector, op.table_name)


def gains_check(op):
    """An added column, or a column made an enum, whose type brings a CHECK with it."""
    if isinstance(op, ops.AddColumnOp):
        return carries_check(op.column.type)
    return isinstance(op, ops.AlterColumnOp) and becomes_enum(op) and carries_check(
        op.modify_type)


def carries_check(type_):
    """Where the database has no type of its own for it, the column gets a CHECK."""
    return isinstance(type_, (Enum, Boolean)) and type_.create_constraint


def enum_names_in(metadata):
    return {
        column.type.name
        for table in metadata.tables.values()
        for column in table.columns
        if is_named_enum(column.type)
    }


def is_named_enum(type_):
    return isinstance(type_, Enum) and bool(type_.name)


@renderers.dispatch_for(ChangeEnumValuesOp)
def render_change_enum_values(autogen_context, op):
    return (
        f"op.change_enum_values({op.table_name!r}, {op.column_name!r}, {op.enum_name!r}, "
        f"old_values={op.old_values!r}, new_values={op.new_values!r})"
    )


@renderers.dispatch_for(CreateEnumTypeOp)
def render_create_enum_type(autogen_context, op):
    if op.made_by_create_table:
        return []
    return f"op.create_enum_type({op.enum_name!r}, {op.values!r})"


@renderers.dispatch_for(RenameEnumTypeOp)
def render_rename_enum_type(autogen_context, op):
    return (f"op.rename_enum_type({op.enum_name!r}, {op.new_enum_name!r}, "
            f"columns={op.columns!r})")


@renderers.dispatch_for(DropEnumTypeOp)
def render_drop_enum_type(autogen_context, op):
    return f"op.drop_enum_type({op.enum_name!r}, {op.values!r})"


@renderers.dispatch_for(RenameChecksOfColumnOp)
def render_rename_checks_of_column(autogen_context, op):
    return f"batch_op.rename_checks_of_column({op.column_name!r}, {op.new_column_name!r})"


@renderers.dispatch_for(DropChecksOfColumnOp)
def render_drop_checks_of_column(autogen_context, op):
    if op.unwritten:
        return []
    return f"batch_op.drop_checks_of_column({op.column_name!r})"
