"""What `flask db check` would write, as one line per table or column.

Alembic's autogenerate is imported here, when the comparison runs, so that
the rest of `flask db status` stays as light as `flask db current`.
"""

ADDED = "added in models, no revision yet"
REMOVED = "in the database, not in the models"


def model_differences(connection, metadata, ignored_tables=()):
    """Sorted lines such as `teams.note: column added in models, no revision yet`."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    # What `flask db check` compares: enums, defaults, checks, indexes on expressions...
    from project.schema.authoring.comparison import COMPARISON_SETTINGS

    def include_object(obj, name, type_, reflected, compare_to):
        return not (type_ == "table" and name in ignored_tables)

    context = MigrationContext.configure(
        connection, opts={**COMPARISON_SETTINGS, "include_object": include_object},
    )
    lines = []
    for difference in compare_metadata(context, metadata):
        # Changes to one column come grouped in a list of tuples.
        for change in difference if isinstance(difference, list) else [difference]:
            lines.append(describe(change))
    return sorted(lines)


def describe(change):
    kind = change[0]
    if kind in ("add_table", "remove_table"):
        return f"{change[1].name}: table {ADDED if kind == 'add_table' else REMOVED}"
    if kind in ("add_column", "remove_column"):
        table, column = change[2], change[3]
        return f"{table}.{column.name}: column {ADDED if kind == 'add_column' else REMOVED}"
    if kind.startswith("modify_"):
        _, _, table, column, _, database, models = change
        what = kind.removeprefix("modify_").replace("_", " ")
        return f"{table}.{column}: {what} differs (database {database}, models {models})"
    verb, _, thing = kind.partition("_")
    obj = change[1]
    if not hasattr(obj, "name"):
        # The project's own operations: ("rename_enum_type", "task_status", "task_state").
        return f"{kind.replace('_', ' ')}: {' '.join(str(part) for part in change[1:])}"
    names = {"uq": "unique constraint", "fk": "foreign key", "ck": "check constraint"}
    where = ADDED if verb == "add" else REMOVED
    table = getattr(getattr(obj, "table", None), "name", "?")
    return f"{table}: {names.get(thing, thing)} {obj.name} {where}"
