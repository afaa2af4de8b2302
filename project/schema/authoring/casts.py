"""A type change PostgreSQL cannot make, or would make wrongly, without being told how:
written with `postgresql_using`.

Text to a number, or a column into or out of an enum type (`level::team_level`;
enums.py creates the type before and drops it after).

A DateTime that starts or stops keeping its time zone (`timestamp` to
`timestamptz` and back): left to itself PostgreSQL reads every naive value in
the migration session's TimeZone, so on a server set to Europe/Berlin a
12:00 stored as UTC, the project's convention, became 10:00 UTC. `USING
updated_at AT TIME ZONE 'UTC'` reads it as UTC, in both directions.
SQLite and MariaDB keep no time zone in the type, and autogenerate sees no
change there.

PostgreSQL refuses `ALTER COLUMN ... TYPE INTEGER` on a VARCHAR column
("cannot be cast automatically"); `USING level::INTEGER` converts each
value, and fails on a value that does not convert, which is why the guard
asks for `-x allow-narrow` on such a change. MariaDB and SQLite convert on
their own and ignore the argument. The downgrade casts back the other way.
"""
from alembic.autogenerate import comparators, renderers
from alembic.autogenerate.render import render_op
from alembic.operations import ops
from alembic.util.langhelpers import DispatchPriority
from sqlalchemy import DateTime, Enum
from sqlalchemy.dialects import postgresql

from project.schema.authoring.op_tree import leaf_operations, replace


class CastingAlterColumnOp(ops.AlterColumnOp):
    """`alter_column` with the cast for PostgreSQL, in whichever direction it runs."""

    @classmethod
    def casting(cls, op, column_name):
        casting = cls.__new__(cls)
        casting.__dict__.update(op.__dict__)
        casting.kw = {**op.kw,
                      "postgresql_using": using(column_name, op.existing_type, op.modify_type)}
        return casting

    def reverse(self):
        reversed_op = super().reverse()
        # When the downgrade runs, the column has the name the upgrade gave it.
        return CastingAlterColumnOp.casting(reversed_op, self.modify_name or self.column_name)


@comparators.dispatch_for("schema", priority=DispatchPriority.LAST)
def cast_changed_types(autogen_context, upgrade_ops, schemas):
    for container, op in list(leaf_operations(upgrade_ops)):
        if isinstance(op, ops.AlterColumnOp) and needs_cast(op.existing_type, op.modify_type):
            replace(container, op, [CastingAlterColumnOp.casting(op, op.column_name)])


def needs_cast(existing, new):
    """A change between kinds of value (text to number, say), or into or out of an enum,
    which PostgreSQL keeps as a type of its own; a change of an enum's values is enums.py's."""
    if existing is None or new is None:
        return False
    if changes_time_zone(existing, new):
        return True
    if isinstance(new, Enum) or isinstance(existing, Enum):
        # Only a named type can be cast to; MariaDB reflects an enum without its name.
        into, out_of = isinstance(new, Enum), isinstance(existing, Enum)
        return into is not out_of and bool((new if into else existing).name)
    try:
        return existing.python_type is not new.python_type
    except NotImplementedError:
        return False


def changes_time_zone(existing, new):
    return (isinstance(existing, DateTime) and isinstance(new, DateTime)
            and bool(existing.timezone) is not bool(new.timezone))


def using(column_name, existing, new):
    if changes_time_zone(existing, new):
        return f"{column_name} AT TIME ZONE 'UTC'"
    return f"{column_name}::{new.compile(dialect=postgresql.dialect())}"


@renderers.dispatch_for(CastingAlterColumnOp)
def render_casting_alter_column(autogen_context, op):
    """Alembic's own `alter_column` line, which leaves `postgresql_using` out, with it added."""
    plain = ops.AlterColumnOp.__new__(ops.AlterColumnOp)
    plain.__dict__.update(op.__dict__)
    lines = render_op(autogen_context, plain)
    cast = op.kw["postgresql_using"]
    lines[-1] = f"{lines[-1][:-1]},\n               postgresql_using={cast!r})"
    return lines
