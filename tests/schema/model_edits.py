"""Model edits a team makes to a table, drawn at random: the generator of the randomized test.

A table is described by a `Table` (its columns); `render_models` writes it as
the models module a developer would have written. Each edit kind is one
function `(table, draw) -> Edit | None` (None: the kind does not apply to this
table), listed in EDIT_KINDS by name so that a kind can be switched on or off
(`FUZZ_KINDS=add_column,drop_column`) without touching the generator.
"""
from dataclasses import dataclass, field, replace

from hypothesis import strategies as st

TABLE = "widgets"
MODULE = "project/blueprints/scratch/models.py"
ENUM_NAME = "widget_level"
ALL_LEVELS = ("low", "mid", "high", "top")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # string, integer, boolean, level (an enum), user (a foreign key to users)
    length: int = 40
    nullable: bool = True
    default: str | None = None  # a server default, as the text of a string literal
    index: bool = False
    unique: bool = False
    # A level column's values; a string column that was one keeps them, and holds only them.
    levels: tuple = ()
    # A string column that was an integer one: it holds numbers, written as text.
    numbers: bool = False
    # An integer column's CHECK (column >= 0), by the name it got when it came: a rename of
    # the column keeps it.
    check: str | None = None


@dataclass(frozen=True)
class Table:
    columns: tuple
    # Names ever used: a new column never takes the name of one that is gone.
    used_names: frozenset = frozenset()

    def named(self, name):
        return next(column for column in self.columns if column.name == name)

    def with_column(self, column):
        return Table(self.columns + (column,), self.used_names | {column.name})

    def without(self, name):
        return Table(tuple(c for c in self.columns if c.name != name), self.used_names)

    def changed(self, column_name, **changes):
        columns = tuple(
            replace(c, **changes) if c.name == column_name else c for c in self.columns
        )
        return Table(columns, self.used_names | {changes.get("name", column_name)})

    def fresh_name(self, stem):
        number = 1
        while f"{stem}_{number}" in self.used_names:
            number += 1
        return f"{stem}_{number}"


FIRST_TABLE = Table(
    columns=(
        Column("label", "string"),
        Column("amount", "integer"),
        Column("level", "level", levels=("low", "mid", "high")),
    ),
    used_names=frozenset({"label", "amount", "level"}),
)


@dataclass
class Edit:
    kind: str
    description: str
    table: Table
    x_arguments: tuple = ()
    # what the upgrade may lose (acknowledged drops) and where values move (renames)
    dropped: frozenset = frozenset()
    renamed: dict = field(default_factory=dict)
    # columns whose NULLs the developer fills before migrating (making them NOT NULL)
    filled: tuple = ()
    # columns whose values change type (a number becomes its text, or the reverse)
    converted: frozenset = frozenset()
    # columns whose NULLs the developer fills before stepping back (the downgrade makes them
    # NOT NULL again; a later acknowledged drop may have left them NULL)
    filled_before_downgrade: tuple = ()


def pick(draw, columns, label):
    return draw(st.sampled_from(sorted(columns, key=lambda c: c.name)), label=label)


def add_column(table, draw):
    kind = draw(st.sampled_from(["string", "integer", "boolean"]), label="kind of the new column")
    column = Column(table.fresh_name(f"new_{kind}"), kind)
    return Edit("add_column", f"add {column.kind} column {column.name}", table.with_column(column))


def drop_column(table, draw):
    # An Enum column's CHECK and type are issue 10's items 2 and 5: see drop_enum_column.
    candidates = [c for c in table.columns if c.nullable and c.kind != "level"]
    return _drop(table, draw, candidates, "drop_column")


def drop_enum_column(table, draw):
    candidates = [c for c in table.columns if c.nullable and c.kind == "level"]
    return _drop(table, draw, candidates, "drop_enum_column")


def _drop(table, draw, candidates, kind):
    if len(table.columns) < 2 or not candidates:
        return None
    column = pick(draw, candidates, "column to drop")
    return Edit(
        kind, f"drop column {column.name}", table.without(column.name),
        x_arguments=(f"allow-drop={TABLE}.{column.name}",), dropped=frozenset({column.name}),
    )


HARD_TO_RENAME = ("user", "level", "boolean")


def rename_column(table, draw):
    candidates = [c for c in table.columns
                  if not (c.index or c.unique) and c.kind not in HARD_TO_RENAME]
    return _rename(table, draw, candidates, "rename_column")


def rename_hard_column(table, draw):
    """Issue 10: a column with an index, a unique constraint or foreign key (item 1), an
    Enum's CHECK (item 5), a Boolean MariaDB reflects as TINYINT(1) (item 5)."""
    candidates = [c for c in table.columns if c.index or c.unique or c.kind in HARD_TO_RENAME]
    return _rename(table, draw, candidates, "rename_hard_column")


def _rename(table, draw, candidates, kind):
    if not candidates:
        return None
    column = pick(draw, candidates, "column to rename")
    new_name = table.fresh_name(f"{column.name.split('_')[0]}_renamed")
    return Edit(
        kind, f"rename column {column.name} to {new_name}",
        table.changed(column.name, name=new_name),
        x_arguments=(f"rename={TABLE}.{column.name}:{new_name}",),
        renamed={column.name: new_name},
    )


def widen_string(table, draw):
    candidates = [c for c in table.columns if c.kind == "string"]
    if not candidates:
        return None
    column = pick(draw, candidates, "column to widen")
    length = column.length + draw(st.sampled_from([10, 60]), label="added length")
    return Edit(
        "widen_string", f"widen {column.name} to String({length})",
        table.changed(column.name, length=length),
    )


def make_not_null(table, draw):
    # A unique column's NULLs would all be filled with one value.
    candidates = [c for c in table.columns if c.nullable and not c.unique]
    if not candidates:
        return None
    column = pick(draw, candidates, "column to make NOT NULL")
    return Edit(
        "make_not_null", f"make {column.name} NOT NULL (its NULLs filled first)",
        table.changed(column.name, nullable=False),
        x_arguments=(f"allow-not-null={TABLE}.{column.name}",), filled=(column.name,),
    )


def make_nullable(table, draw):
    candidates = [c for c in table.columns if not c.nullable]
    if not candidates:
        return None
    column = pick(draw, candidates, "column to make nullable")
    return Edit(
        "make_nullable", f"make {column.name} nullable", table.changed(column.name, nullable=True),
        filled_before_downgrade=(column.name,),
    )


def change_server_default(table, draw):
    candidates = [c for c in table.columns if c.kind == "string"]
    if not candidates:
        return None
    column = pick(draw, candidates, "column whose default changes")
    choices = [value for value in (None, "none yet", "n/a") if value != column.default]
    default = draw(st.sampled_from(choices), label="new server default")
    return Edit(
        "change_server_default", f"server default of {column.name}: {default!r}",
        table.changed(column.name, default=default),
    )


def add_enum_value(table, draw):
    candidates = [c for c in table.columns if c.kind == "level" and len(c.levels) < 4]
    if not candidates:
        return None
    column = pick(draw, candidates, "enum column to extend")
    value = next(level for level in ALL_LEVELS if level not in column.levels)
    return Edit(
        "add_enum_value", f"add {value!r} to {column.name}'s values",
        table.changed(column.name, levels=column.levels + (value,)),
    )


def remove_enum_value(table, draw):
    """The last value goes: rows are written with the first, so none holds it."""
    candidates = [c for c in table.columns if c.kind == "level" and len(c.levels) > 2]
    if not candidates:
        return None
    column = pick(draw, candidates, "enum column to shrink")
    return Edit(
        "remove_enum_value", f"remove {column.levels[-1]!r} from {column.name}'s values",
        table.changed(column.name, levels=column.levels[:-1]),
        x_arguments=(f"allow-narrow={TABLE}.{column.name}",),
    )


def integer_to_string(table, draw):
    """An integer column becomes text: each number its digits. (A column with a check that
    compares it with a number keeps its type: its team would drop the check first.)"""
    candidates = [c for c in table.columns if c.kind == "integer" and not c.check]
    if not candidates:
        return None
    column = pick(draw, candidates, "integer column to make text")
    return Edit(
        "integer_to_string", f"make {column.name} a String(20)",
        table.changed(column.name, kind="string", length=20, numbers=True),
        converted=frozenset({column.name}),
    )


def string_to_integer(table, draw):
    """A text column that holds only numbers (it was an integer one) becomes an integer one
    again (acknowledged: text that is no number would stop it)."""
    candidates = [c for c in table.columns if c.kind == "string" and c.numbers
                  and c.default is None]
    if not candidates:
        return None
    column = pick(draw, candidates, "text column to make an integer")
    return Edit(
        "string_to_integer", f"make {column.name} an Integer",
        table.changed(column.name, kind="integer", numbers=False),
        x_arguments=(f"allow-narrow={TABLE}.{column.name}",), converted=frozenset({column.name}),
    )


def toggle_unique(table, draw):
    """A unique constraint on a column whose rows all differ (acknowledged), or its removal."""
    candidates = [c for c in table.columns if c.kind in ("string", "integer") and not c.levels
                  and not c.index]
    if not candidates:
        return None
    column = pick(draw, candidates, "column whose unique constraint comes or goes")
    if column.unique:
        return Edit("toggle_unique", f"{column.name} no longer unique",
                    table.changed(column.name, unique=False))
    return Edit(
        "toggle_unique", f"make {column.name} unique", table.changed(column.name, unique=True),
        x_arguments=(f"allow-unique={TABLE}.{column.name}",),
    )


def toggle_check(table, draw):
    """A check that an integer column holds no negative number (every row's is row * 7),
    added (acknowledged) or removed."""
    candidates = [c for c in table.columns if c.kind == "integer"]
    if not candidates:
        return None
    column = pick(draw, candidates, "column whose check comes or goes")
    if column.check:
        return Edit("toggle_check", f"{column.name} may be negative",
                    table.changed(column.name, check=None))
    check = f"{column.name}_not_negative"
    return Edit(
        "toggle_check", f"{column.name} is never negative", table.changed(column.name, check=check),
        x_arguments=(f"allow-check={TABLE}.ck_{TABLE}_{check}",),
    )


def enum_to_string(table, draw):
    """An enum column becomes free text; its rows keep holding the enum's values, so that the
    downgrade, back to the enum, keeps them too."""
    candidates = [c for c in table.columns if c.kind == "level"]
    if not candidates:
        return None
    column = pick(draw, candidates, "enum column to make text")
    return Edit(
        "enum_to_string", f"make {column.name} a String(20)",
        table.changed(column.name, kind="string", length=20),
    )


def string_to_enum(table, draw):
    """A text column that holds only an enum's values (it was one) becomes the enum again."""
    candidates = [c for c in table.columns if c.kind == "string" and c.levels and c.default is None]
    if not candidates:
        return None
    column = pick(draw, candidates, "text column to make an enum")
    return Edit(
        "string_to_enum", f"make {column.name} an Enum{column.levels}",
        table.changed(column.name, kind="level"),
        x_arguments=(f"allow-narrow={TABLE}.{column.name}",),
    )


def toggle_index(table, draw):
    # An index on a foreign-key column is MariaDB's own quirk (issue 10, item 5): not here.
    # A unique column's index would be a unique index, which toggle_unique's constraint is not.
    candidates = [c for c in table.columns if c.kind != "user" and not c.unique]
    if not candidates:
        return None
    column = pick(draw, candidates, "column whose index comes or goes")
    verb = "drop the index of" if column.index else "index"
    return Edit(
        "toggle_index", f"{verb} {column.name}", table.changed(column.name, index=not column.index)
    )


def add_foreign_key(table, draw):
    column = Column(table.fresh_name("owner"), "user")
    return Edit(
        "add_foreign_key", f"add column {column.name} pointing at users",
        table.with_column(column),
    )


# name -> (edit function, whether it is drawn when FUZZ_KINDS names none)
EDIT_KINDS = {
    "add_column": (add_column, True),
    "drop_column": (drop_column, True),
    "rename_column": (rename_column, True),
    "widen_string": (widen_string, True),
    "make_not_null": (make_not_null, True),
    "make_nullable": (make_nullable, True),
    "toggle_index": (toggle_index, True),
    "add_foreign_key": (add_foreign_key, True),
    "rename_hard_column": (rename_hard_column, True),
    "drop_enum_column": (drop_enum_column, True),
    "change_server_default": (change_server_default, True),
    "add_enum_value": (add_enum_value, True),
    "remove_enum_value": (remove_enum_value, True),
    "toggle_unique": (toggle_unique, True),
    "integer_to_string": (integer_to_string, True),
    "string_to_integer": (string_to_integer, True),
    "enum_to_string": (enum_to_string, True),
    "string_to_enum": (string_to_enum, True),
    "toggle_check": (toggle_check, True),
}


def enabled_kinds(names=None):
    """The kinds named (a comma-separated FUZZ_KINDS), or those on by default."""
    if not names:
        return [name for name, (_, on) in EDIT_KINDS.items() if on]
    chosen = [name.strip() for name in names.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(EDIT_KINDS))
    if unknown:
        raise ValueError(f"unknown edit kinds {unknown}; known: {sorted(EDIT_KINDS)}")
    return chosen


def draw_edit(table, draw, kinds, used=()):
    """One edit of a kind in `kinds` that applies to `table`, of a kind not in `used` if one
    applies: a short sequence then tries as many kinds as it can."""
    fresh = [name for name in kinds if name not in used]
    edit = _draw_applicable(table, draw, fresh) or _draw_applicable(table, draw, kinds)
    if edit is None:
        raise AssertionError(f"no edit of the kinds {kinds} applies to {table}")
    return edit


def _draw_applicable(table, draw, kinds):
    applicable = {name: EDIT_KINDS[name][0] for name in kinds}
    while applicable:
        name = draw(st.sampled_from(sorted(applicable)), label="edit kind")
        edit = applicable[name](table, draw)
        if edit is not None:
            return edit
        del applicable[name]
    return None


def render_models(table):
    """The models module for `table`, as a developer writes it."""
    lines = [
        '"""A scratch table the randomized model-edit test changes step by step."""',
        "from sqlalchemy import Boolean, CheckConstraint, Enum, ForeignKey, Integer, String",
        "from sqlalchemy.orm import mapped_column",
        "",
        "from project.extensions import db",
        "",
        "",
        "class Widget(db.Model):",
        f'    __tablename__ = "{TABLE}"',
    ]
    checks = [f'CheckConstraint("{column.name} >= 0", name="{column.check}")'
              for column in table.columns if column.check]
    if checks:
        lines.append(f"    __table_args__ = ({', '.join(checks)},)")
    lines += [
        "",
        "    id = mapped_column(Integer, primary_key=True)",
    ]
    for column in table.columns:
        arguments = [_type(column)]
        arguments.append(f"nullable={column.nullable}")
        if column.index:
            arguments.append("index=True")
        if column.unique:
            arguments.append("unique=True")
        if column.default is not None:
            arguments.append(f"server_default={column.default!r}")
        lines.append(f"    {column.name} = mapped_column({', '.join(arguments)})")
    return "\n".join(lines) + "\n"


def _type(column):
    if column.kind == "string":
        return f"String({column.length})"
    if column.kind == "integer":
        return "Integer"
    if column.kind == "boolean":
        return "Boolean"
    if column.kind == "level":
        values = ", ".join(repr(level) for level in column.levels)
        return f'Enum({values}, name="{ENUM_NAME}", create_constraint=True)'
    return 'Integer, ForeignKey("users.id", ondelete="SET NULL")'


def value_for(column, row_number):
    """The value row `row_number` holds in `column`: distinct per row, valid for its type."""
    if column.kind == "string" and column.levels:
        return column.levels[0]
    if column.kind == "string" and column.numbers:
        return str(row_number * 7)
    if column.kind == "string":
        return f"r{row_number}-{column.name}"[: column.length]
    if column.kind == "integer":
        return row_number * 7
    if column.kind == "boolean":
        return row_number % 2 == 0
    if column.kind == "level":
        return column.levels[0]
    return 1  # the one user the test writes
