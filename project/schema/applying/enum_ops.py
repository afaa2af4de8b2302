"""The operations a script uses for enum types, each carried out the way its database needs.

One history runs on SQLite, PostgreSQL and MariaDB, so a script written on
one must run on the others: the script says what changes
(`op.change_enum_values(...)`), and this module says how, per database, when
it runs:

- PostgreSQL keeps an enum as a named type: values are added with
  `ALTER TYPE ... ADD VALUE`; a removal swaps the type for a new one with a
  cast. `add_column` and `drop_table` neither create nor drop the type, hence
  `create_enum_type` and `drop_enum_type`.
- MariaDB keeps the values in the column: `MODIFY ... ENUM(...)`.
- SQLite keeps them in the column's CHECK constraint, which is rebuilt.

A removal never loses a row silently: if rows still hold a removed value,
the operation stops before changing anything, with the count and the UPDATE
that would move them.
"""
import re

from alembic.operations import Operations
from alembic.operations.base import BatchOperations
from alembic.operations.ops import MigrateOperation
from sqlalchemy import Enum, String, column, func, inspect, select, table, text


# SQLite's CHECK of an Enum column: `status IN ('todo', 'doing')`.
VALUES_CHECK = re.compile(r'\s*"?(\w+)"?\s+IN\s*\((.*)\)\s*$', re.S)


class ValuesStillInUse(Exception):
    """Rows hold an enum value that the running revision removes."""


@Operations.register_operation("change_enum_values")
class ChangeEnumValuesOp(MigrateOperation):
    """The values a column of the enum type `enum_name` accepts: `old_values`, then `new_values`."""

    def __init__(self, table_name, column_name, enum_name, old_values, new_values):
        self.table_name = table_name
        self.column_name = column_name
        self.enum_name = enum_name
        self.old_values = list(old_values)
        self.new_values = list(new_values)

    @classmethod
    def change_enum_values(cls, operations, table_name, column_name, enum_name, old_values,
                           new_values):
        return operations.invoke(cls(table_name, column_name, enum_name, old_values, new_values))

    @property
    def removed(self):
        return [value for value in self.old_values if value not in self.new_values]

    @property
    def added(self):
        return [value for value in self.new_values if value not in self.old_values]

    def reverse(self):
        return ChangeEnumValuesOp(
            self.table_name, self.column_name, self.enum_name, self.new_values, self.old_values
        )

    def to_diff_tuple(self):
        return ("change_enum_values", self.table_name, self.column_name,
                tuple(self.old_values), tuple(self.new_values))


@Operations.register_operation("create_enum_type")
class CreateEnumTypeOp(MigrateOperation):
    """PostgreSQL's named type for a new Enum; nothing on databases without enum types.

    `made_by_create_table`: the `create_table` next to it makes the type
    itself, so the script needs no line for it; the op is there so that its
    reverse, the type's drop, is written in the downgrade.
    """

    def __init__(self, enum_name, values, made_by_create_table=False):
        self.enum_name = enum_name
        self.values = list(values)
        self.made_by_create_table = made_by_create_table

    @classmethod
    def create_enum_type(cls, operations, enum_name, values):
        return operations.invoke(cls(enum_name, values))

    def reverse(self):
        return DropEnumTypeOp(self.enum_name, self.values, self.made_by_create_table)

    def to_diff_tuple(self):
        return ("add_enum_type", self.enum_name, tuple(self.values))


@Operations.register_operation("drop_enum_type")
class DropEnumTypeOp(MigrateOperation):
    """Drop PostgreSQL's named type once no column uses it; nothing elsewhere."""

    def __init__(self, enum_name, values, made_by_create_table=False):
        self.enum_name = enum_name
        self.values = list(values)
        self.made_by_create_table = made_by_create_table

    @classmethod
    def drop_enum_type(cls, operations, enum_name, values):
        return operations.invoke(cls(enum_name, values))

    def reverse(self):
        return CreateEnumTypeOp(self.enum_name, self.values, self.made_by_create_table)

    def to_diff_tuple(self):
        return ("remove_enum_type", self.enum_name, tuple(self.values))


@Operations.register_operation("rename_enum_type")
class RenameEnumTypeOp(MigrateOperation):
    """A named enum type given another name in the models, with the columns that use it.

    PostgreSQL renames its type. SQLite keeps the name in each column's CHECK
    (`ck_tasks_task_status`), which is made again under the new one. MariaDB
    keeps no name. Without it, the database keeps the old name and the next
    revision that names the type (a value added, the type dropped) fails.
    """

    def __init__(self, enum_name, new_enum_name, columns):
        self.enum_name = enum_name
        self.new_enum_name = new_enum_name
        self.columns = [tuple(pair) for pair in columns]

    @classmethod
    def rename_enum_type(cls, operations, enum_name, new_enum_name, columns):
        return operations.invoke(cls(enum_name, new_enum_name, columns))

    def reverse(self):
        return RenameEnumTypeOp(self.new_enum_name, self.enum_name, self.columns)

    def to_diff_tuple(self):
        return ("rename_enum_type", self.enum_name, self.new_enum_name)


@BatchOperations.register_operation("drop_checks_of_column", "batch_drop_checks_of_column")
class DropChecksOfColumnOp(MigrateOperation):
    """Inside a batch block, before `drop_column`: the CHECK constraints naming the column go.

    SQLite rebuilds the table with every named CHECK it reflects, and one that
    names a dropped column fails with "no such column". Where the database
    keeps no such CHECK (an enum type, a native ENUM), nothing is done.

    `unwritten`: the op only stands opposite an `add_column` (whose type brings
    its CHECK back), so that the reverse, written in the other direction, is
    the drop; it writes no line itself.
    """

    def __init__(self, table_name, column_name, unwritten=False):
        self.table_name = table_name
        self.column_name = column_name
        self.unwritten = unwritten

    @classmethod
    def batch_drop_checks_of_column(cls, operations, column_name):
        return operations.invoke(cls(operations.impl.table_name, column_name))

    def reverse(self):
        return DropChecksOfColumnOp(self.table_name, self.column_name, not self.unwritten)

    def to_diff_tuple(self):
        return ("remove_column_checks", self.table_name, self.column_name)


@BatchOperations.register_operation("rename_checks_of_column", "batch_rename_checks_of_column")
class RenameChecksOfColumnOp(MigrateOperation):
    """Inside a batch block, beside the `alter_column` that renames a column: its CHECKs follow.

    SQLite rebuilds the table with every named CHECK it reflects, still naming
    the old column, and fails with "no such column"; an Enum's CHECK dropped
    instead would leave the renamed column taking any value. So each CHECK
    naming the column is made again under its own name, naming the new one.
    PostgreSQL and MariaDB rename the column inside their constraints themselves.
    """

    def __init__(self, table_name, column_name, new_column_name):
        self.table_name = table_name
        self.column_name = column_name
        self.new_column_name = new_column_name

    @classmethod
    def batch_rename_checks_of_column(cls, operations, column_name, new_column_name):
        return operations.invoke(
            cls(operations.impl.table_name, column_name, new_column_name)
        )

    def reverse(self):
        return RenameChecksOfColumnOp(self.table_name, self.new_column_name, self.column_name)

    def to_diff_tuple(self):
        return ("rename_column_checks", self.table_name, self.column_name, self.new_column_name)


@Operations.implementation_for(RenameChecksOfColumnOp)
def rename_checks_of_column(operations, operation):
    context = operations.get_context()
    if context.as_sql or context.dialect.name != "sqlite":
        return
    old, new = operation.column_name, operation.new_column_name
    for check in checks_naming(operations.get_bind(), operation.table_name, old):
        name = operations.f(check["name"])
        operations.drop_constraint(name, type_="check")
        condition = mentions(old).sub(
            lambda found: f'"{new}"' if found.group().startswith('"') else new, check["sqltext"]
        )
        operations.create_check_constraint(name, condition)


@Operations.implementation_for(DropChecksOfColumnOp)
def drop_checks_of_column(operations, operation):
    if operations.get_context().as_sql:
        return
    for check in checks_naming(operations.get_bind(), operation.table_name,
                               operation.column_name):
        # f(): the name is final; the models' naming convention must not be applied again.
        operations.drop_constraint(operations.f(check["name"]), type_="check")


@Operations.implementation_for(CreateEnumTypeOp)
def create_enum_type(operations, operation):
    if operations.get_context().dialect.name == "postgresql":
        Enum(*operation.values, name=operation.enum_name).create(
            operations.get_bind(), checkfirst=True
        )


@Operations.implementation_for(DropEnumTypeOp)
def drop_enum_type(operations, operation):
    if operations.get_context().dialect.name == "postgresql":
        Enum(*operation.values, name=operation.enum_name).drop(
            operations.get_bind(), checkfirst=True
        )


@Operations.implementation_for(RenameEnumTypeOp)
def rename_enum_type(operations, operation):
    context = operations.get_context()
    old, new = operation.enum_name, operation.new_enum_name
    if context.dialect.name == "postgresql":
        operations.execute(f"ALTER TYPE {quoted(old)} RENAME TO {quoted(new)}")
    elif context.dialect.name == "sqlite" and not context.as_sql:
        for table_name, column_name in operation.columns:
            rename_enum_checks(operations, table_name, column_name, old, new)


def rename_enum_checks(operations, table_name, column_name, old, new):
    """SQLite: the column's CHECK named after the type (`ck_tasks_task_status`), made again
    under the name the convention gives the new type, with the same condition."""
    checks = [check for check in checks_naming(operations.get_bind(), table_name, column_name)
              if check["name"].endswith(f"_{old}")]
    if not checks:
        return
    with operations.batch_alter_table(table_name, recreate="always") as batch_op:
        for check in checks:
            batch_op.drop_constraint(batch_op.f(check["name"]), type_="check")
            renamed = check["name"].removesuffix(old) + new
            batch_op.create_check_constraint(batch_op.f(renamed), check["sqltext"])


@Operations.implementation_for(ChangeEnumValuesOp)
def change_enum_values(operations, operation):
    context = operations.get_context()
    if operation.removed and not context.as_sql:
        refuse_if_rows_hold(operations.get_bind(), operation)
    dialect = context.dialect.name
    if dialect == "postgresql":
        change_postgresql_type(operations, operation)
    elif dialect in ("mysql", "mariadb"):
        modify_mysql_column(operations, operation)
    else:
        rebuild_check(operations, operation)


def refuse_if_rows_hold(connection, operation):
    removed = operation.removed
    # As text: PostgreSQL compares its enum type with no parameter of another type.
    holding = column(operation.column_name).cast(String)
    count = connection.scalar(
        select(func.count()).select_from(table(operation.table_name)).where(holding.in_(removed))
    )
    if not count:
        return
    target = f"{operation.table_name}.{operation.column_name}"
    values = ", ".join(f"'{value}'" for value in removed)
    raise ValuesStillInUse(
        f"{count} row(s) of {target} hold {values}, which this revision removes; "
        f"move them first, e.g. UPDATE {operation.table_name} SET {operation.column_name} = "
        f"'{operation.new_values[0]}' WHERE {operation.column_name} IN ({values})"
    )


def change_postgresql_type(operations, operation):
    name = operation.enum_name
    if operations.get_context().as_sql:
        # No database to ask (`upgrade --sql`, the linter): the script's own account.
        current = list(operation.old_values)
    else:
        current = [row[0] for row in operations.get_bind().execute(
            text("SELECT unnest(enum_range(NULL::%s))::text" % quoted(name))
        )]
    if set(current) == set(operation.new_values):
        # Another column of the same type had it changed already.
        return
    if not [value for value in current if value not in operation.new_values]:
        add_postgresql_values(operations, name, current, operation.new_values)
    else:
        swap_postgresql_type(operations, operation)


def add_postgresql_values(operations, name, current, new_values):
    # Before PostgreSQL 12, ADD VALUE cannot run inside a transaction block.
    server_version = operations.get_context().dialect.server_version_info or (0,)
    statements = [
        f"ALTER TYPE {quoted(name)} ADD VALUE IF NOT EXISTS {literal(value)} "
        + position(value, new_values, current)
        for value in new_values if value not in current
    ]
    if server_version < (12,):
        with operations.get_context().autocommit_block():
            for statement in statements:
                operations.execute(statement)
    else:
        for statement in statements:
            operations.execute(statement)


def position(value, new_values, current):
    """Where `value` goes, so that the type's order is the Python Enum's.

    Values are added in order: the one before a value is there by the time it
    is added; the first goes before the first value the type already has.
    """
    index = new_values.index(value)
    if index > 0:
        return f"AFTER {literal(new_values[index - 1])}"
    first_existing = next(existing for existing in new_values if existing in current)
    return f"BEFORE {literal(first_existing)}"


def swap_postgresql_type(operations, operation):
    """Rename the old type away, make the new one, cast every column over, drop the old one."""
    name, new_values = operation.enum_name, operation.new_values
    old_name = f"{name}_old"
    if operations.get_context().as_sql:
        # Offline, only the column the script names is known to use the type.
        users = [(operation.table_name, operation.column_name, None)]
    else:
        users = columns_of_type(operations.get_bind(), name)
    operations.execute(f"ALTER TYPE {quoted(name)} RENAME TO {quoted(old_name)}")
    values = ", ".join(literal(value) for value in new_values)
    operations.execute(f"CREATE TYPE {quoted(name)} AS ENUM ({values})")
    for table_name, column_name, default in users:
        alter = f"ALTER TABLE {quoted(table_name)} ALTER COLUMN {quoted(column_name)}"
        if default is not None:
            operations.execute(f"{alter} DROP DEFAULT")
        operations.execute(
            f"{alter} TYPE {quoted(name)} USING {quoted(column_name)}::text::{quoted(name)}"
        )
        if default is not None:
            operations.execute(f"{alter} SET DEFAULT {default.replace(old_name, name)}")
    operations.execute(f"DROP TYPE {quoted(old_name)}")


def columns_of_type(connection, name):
    """(table, column, default expression) of every column of the enum type `name`."""
    return connection.execute(text(
        "SELECT c.relname, a.attname, pg_get_expr(d.adbin, d.adrelid) "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "WHERE a.atttypid = to_regtype(:name) AND c.relkind = 'r' AND NOT a.attisdropped"
    ), {"name": name}).all()


def modify_mysql_column(operations, operation):
    """MODIFY restates the whole column: its nullability and default are read back first."""
    reflected = next(
        found for found in inspect(operations.get_bind()).get_columns(operation.table_name)
        if found["name"] == operation.column_name
    )
    operations.alter_column(
        operation.table_name, operation.column_name,
        type_=Enum(*operation.new_values, name=operation.enum_name),
        existing_type=reflected["type"],
        existing_nullable=reflected["nullable"],
        existing_server_default=reflected["default"],
    )


def rebuild_check(operations, operation):
    """SQLite: the table is rebuilt with the CHECK listing the new values, under its old name.

    Only the CHECK that lists the values: a check of the models' own that names the
    column (`status <> 'done' OR assignee_id IS NOT NULL`) stays as it is.
    """
    checks = [
        check for check in checks_naming(operations.get_bind(), operation.table_name,
                                         operation.column_name)
        if enum_check_column(check["sqltext"]) == operation.column_name
    ]
    if not checks:
        # The column was made without a CHECK (create_constraint off): nothing holds the values.
        return
    name = checks[0]["name"]
    condition = column(operation.column_name).in_(operation.new_values)
    with operations.batch_alter_table(operation.table_name, recreate="always") as batch_op:
        for check in checks:
            batch_op.drop_constraint(batch_op.f(check["name"]), type_="check")
        batch_op.create_check_constraint(batch_op.f(name), condition)


def enum_check_column(sqltext):
    """The column whose values a CHECK lists, as SQLite keeps an Enum's
    (`status IN ('todo', 'doing')`); None for another check."""
    match = VALUES_CHECK.match(sqltext)
    return match.group(1) if match else None


def checks_naming(connection, table_name, column_name):
    """The named CHECK constraints of a table whose condition names the column."""
    mention = mentions(column_name)
    return [
        check for check in inspect(connection).get_check_constraints(table_name)
        if check.get("name") and mention.search(check["sqltext"])
    ]


def mentions(column_name):
    """The column's name in a condition, bare or double-quoted."""
    return re.compile(rf'(?<![\w"]){re.escape(column_name)}(?![\w"])|"{re.escape(column_name)}"')


def quoted(identifier):
    return '"' + identifier.replace('"', '""') + '"'


def literal(value):
    return "'" + value.replace("'", "''") + "'"
