"""CHECK constraints: Alembic's autogenerate compares none of them.

A `CheckConstraint` added to a model, removed from one or given a new
expression would otherwise write no revision at all: the database would go on
without the rule, or refusing rows the models allow, and `flask db check`
would call it clean. Here each table's checks are compared by name (the naming
convention names every one) and by expression, and written as
`create_check_constraint` and `drop_constraint`.

Every database stores an expression in its own words: PostgreSQL adds casts
(`length(name::text) > 0`), MariaDB quotes names and picks its own functions
(`octet_length(`name`) > 0`). So the models' expressions are put to the
database on a temporary table of the same columns, and what it makes of them is
compared with what it holds; an expression it refuses stops `flask db migrate`
with its error, before any script is written.

An added or changed check needs `-x allow-check` (destructive.py), but not one
that only follows its renamed column or table (`RenamedCheckOp`). A dropped or
changed one comes back in the downgrade as its revision wrote it
(check_history.py). An enum's CHECK (SQLite's, `status IN (...)`) is enums.py's.
A check the models make only on some databases (`.ddl_if(dialect=...)`) is
compared there alone, and its script lines run only there (`OnlyOnDatabasesOp`).
"""
import re
import uuid

from alembic.autogenerate import comparators, renderers
from alembic.autogenerate.render import render_op
from alembic.operations import Operations, ops
from alembic.util import CommandError
from sqlalchemy import CheckConstraint, Column, Enum, MetaData, Table, inspect, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import conv

from project.schema.applying.enum_ops import enum_check_column
from project.schema.authoring.check_history import written_expression

PROBE_PREFIX = "_check_probe_"


@comparators.dispatch_for("table")
def compare_checks(autogen_context, modify_table_ops, schema, table_name, conn_table,
                   metadata_table):
    if conn_table is None or metadata_table is None or autogen_context.connection is None:
        return
    connection = autogen_context.connection
    wanted = {check.name: check for check in model_checks(metadata_table, connection.dialect)}
    present = {check.name: check for check in database_checks(
        conn_table, metadata_table, modify_table_ops.ops, wanted)}
    if not wanted and not present:
        return
    as_stored = stored_expressions(connection, metadata_table, wanted.values())

    retyped_enums = renamed_enum_types(conn_table, metadata_table)

    def changed(name):
        stored = str(present[name].sqltext)
        for old, new in retyped_enums:  # PostgreSQL's casts name the type: 'done'::task_status
            stored = re.sub(rf"\b{re.escape(old)}\b", new, stored)
        return same_words(stored, as_stored.get(name)) is False

    renamed = possible_renames(conn_table, metadata_table)
    for name in sorted(present):
        if name not in wanted or changed(name):
            drop = dropped_check(present[name], table_name,
                                 written_expression(autogen_context, table_name, name))
            # A check the models still make on some databases only is dropped there only.
            modify_table_ops.ops.append(only_on_its_databases(drop, wanted.get(name)))
    for name in sorted(wanted):
        if name not in present or changed(name):
            follows = name in present and follows_a_rename(
                str(present[name].sqltext), as_stored.get(name), renamed)
            kind = RenamedCheckOp if follows else ops.CreateCheckConstraintOp
            create = kind.from_constraint(wanted[name])
            modify_table_ops.ops.append(only_on_its_databases(create, wanted[name]))


def dropped_check(check, table_name, written):
    """`drop_constraint` whose downgrade makes the check again as its revision wrote it, or,
    if no revision of the history did, as the database holds it."""
    if written is None:
        return ops.DropConstraintOp.from_constraint(check)
    name = conv(check.name)
    return ops.DropConstraintOp(name, table_name, type_="check",
                                _reverse=ops.CreateCheckConstraintOp(name, table_name, written))


def possible_renames(database_table, model_table):
    """(old, new) for each column the models no longer have beside one they add: a rename,
    maybe (renames.py asks, later)."""
    dropped = [c.name for c in database_table.columns if c.name not in model_table.columns]
    added = [c.name for c in model_table.columns if c.name not in database_table.columns]
    return [(old, new) for old in dropped for new in added]


def follows_a_rename(stored, expected, renames):
    """True if the stored expression, one column's name changed, is the models' one: the
    check only follows the column (made again, it needs no `-x allow-check`)."""
    return expected is not None and any(
        squeeze(re.sub(rf"\b{re.escape(old)}\b", new, stored)) == squeeze(expected)
        for old, new in renames
    )


def renamed_enum_types(database_table, model_table):
    """(old, new) names of the enum types the models call otherwise (enums.py renames them)."""
    return {
        (column.type.name, model_table.columns[column.name].type.name)
        for column in database_table.columns
        if column.name in model_table.columns
        and isinstance(column.type, Enum) and column.type.name
        and isinstance(model_table.columns[column.name].type, Enum)
        and model_table.columns[column.name].type.name not in (None, column.type.name)
    }


def model_checks(table, dialect):
    """The table's own checks that this database makes: not an enum's, not one for others."""
    return [
        constraint for constraint in table.constraints
        if isinstance(constraint, CheckConstraint)
        and not getattr(constraint, "_type_bound", False)
        and dialect.name in (databases_of(constraint) or (dialect.name,))
    ]


def databases_of(constraint):
    """The dialect names `.ddl_if(dialect=...)` limits a constraint to; None for every one."""
    ddl_if = getattr(constraint, "_ddl_if", None)
    if ddl_if is None or ddl_if.dialect is None:
        return None
    return (ddl_if.dialect,) if isinstance(ddl_if.dialect, str) else tuple(ddl_if.dialect)


def database_checks(table, model, column_changes, wanted):
    """The reflected table's named checks, but an enum's: SQLite's `column IN (...)` on a
    column the models make an Enum, no longer have, or give another type in this revision
    (enums.py's, all three: it drops the CHECK of an Enum column that becomes text), and
    that the models do not name as one of their own."""
    retyped = {op.column_name for op in column_changes
               if isinstance(op, ops.AlterColumnOp) and op.modify_type is not None}

    def enums_own(constraint):
        column = enum_check_column(str(constraint.sqltext))
        return column is not None and (
            column not in model.columns or column in retyped
            or isinstance(model.columns[column].type, Enum))

    return [
        constraint for constraint in table.constraints
        if isinstance(constraint, CheckConstraint) and constraint.name
        and (constraint.name in wanted or not enums_own(constraint))
    ]


def stored_expressions(connection, table, checks):
    """{name: expression} as the database stores each check of `checks`.

    A temporary table of `table`'s columns and these checks is created and read
    back inside a savepoint that is then rolled back: nothing of it, nor an enum
    type it needed, outlives the comparison.
    """
    checks = list(checks)
    if not checks:
        return {}
    probe = Table(
        f"{PROBE_PREFIX}{uuid.uuid4().hex[:12]}", MetaData(),
        *[Column(column.name, column.type) for column in table.columns],
        *[CheckConstraint(check.sqltext, name=check.name) for check in checks],
        prefixes=["TEMPORARY"],
    )
    savepoint = connection.begin_nested()
    try:
        # checkfirst: an enum type the table already uses is not created again.
        probe.create(connection, checkfirst=True)
        return {
            check["name"]: check["sqltext"]
            for check in inspect(connection).get_check_constraints(probe.name)
        }
    except DBAPIError as error:
        raise CommandError(refused_message(table.name, checks, error)) from None
    finally:
        if connection.dialect.name in ("mysql", "mariadb"):
            # MariaDB keeps a temporary table past a rollback (and DROP TEMPORARY commits nothing).
            connection.execute(text(f"DROP TEMPORARY TABLE IF EXISTS {probe.name}"))
        savepoint.rollback()


def refused_message(table_name, checks, error):
    names = ", ".join(str(check.name) for check in checks)
    reason = str(error.orig).strip().splitlines()[0]
    hint = ""
    if "invalid input value for enum" in reason:
        hint = (" (a check may name an enum value only once the value exists: add the value "
                "in a revision of its own first)")
    return (f"The database refuses a check constraint of {table_name} ({names}), "
            f"so no revision was written: {reason}{hint}")


def same_words(stored, expected):
    """True or False once both are known; None when the database gave back no expression."""
    if expected is None:
        return None
    return squeeze(str(stored)) == squeeze(expected)


def squeeze(expression):
    return re.sub(r"\s+", " ", expression).strip()


class RenamedCheckOp(ops.CreateCheckConstraintOp):
    """A check made again under its renamed table's name, or naming its renamed column: the
    rows kept it already, so it needs no `-x allow-check` (destructive.py)."""


def checks_renamed_with_table(model, old_name, new_name):
    """Drop each check under the old table's name and make it again under the new one's.

    `model` is the models' Table, named `new_name` for the upgrade and `old_name` for the
    downgrade: its checks say what to make, with their expressions, on which databases.
    An enum's CHECK is SQLite's alone.
    """
    other_name = old_name if model.name == new_name else new_name
    operations = []
    for check in model.constraints:
        if not isinstance(check, CheckConstraint) or not check.name:
            continue
        names = (str(check.name).replace(model.name, other_name, 1), str(check.name))
        old, new = names if model.name == new_name else reversed(names)
        if getattr(check, "_type_bound", False):
            condition = check.sqltext.compile(dialect=sqlite.dialect(), compile_kwargs={
                "literal_binds": True, "include_table": False})
            databases = ("sqlite",)
        else:
            condition, databases = check.sqltext, databases_of(check)
        # conv(): final names, which the naming convention must not be applied to again.
        pair = [ops.DropConstraintOp(conv(old), new_name, type_="check"),
                RenamedCheckOp(conv(new), new_name, str(condition))]
        operations.extend([OnlyOnDatabasesOp(databases, pair)] if databases else pair)
    return operations


def only_on_its_databases(op, constraint):
    databases = databases_of(constraint) if constraint is not None else None
    return OnlyOnDatabasesOp(databases, [op]) if databases else op


class OnlyOnDatabasesOp(ops.OpContainer):
    """Operations run only on the named databases (a constraint made with `.ddl_if`)."""

    def __init__(self, databases, operations):
        super().__init__(operations)
        self.databases = tuple(databases)

    def reverse(self):
        return OnlyOnDatabasesOp(self.databases, [op.reverse() for op in reversed(self.ops)])

    def to_diff_tuple(self):
        return [op.to_diff_tuple() for op in self.ops]


@renderers.dispatch_for(OnlyOnDatabasesOp)
def render_only_on_databases(autogen_context, container):
    # Alembic's printer indents after the line ending in ":" and closes the block at "".
    lines = [f"if op.get_context().dialect.name in {container.databases!r}:"]
    for op in container.ops:
        lines.extend(render_op(autogen_context, op))
    return [*lines, ""]


@Operations.implementation_for(OnlyOnDatabasesOp)
def run_only_on_databases(operations, container):
    """As the script's `if` runs them (the lint of a new revision runs its operations)."""
    if operations.get_context().dialect.name in container.databases:
        for op in container.ops:
            operations.invoke(op)
