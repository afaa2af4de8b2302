"""Which blueprint owns a table: the package of the model class that maps it.

project.schema never imports the application; it is handed the SQLAlchemy
registry and reads each mapped class's module, `project.blueprints.<name>.models`.
"""

UNOWNED = "(no model)"


def table_owners(registry):
    """{table name: blueprint name} for every table a mapped class of `registry` declares."""
    owners = {}
    for mapper in registry.mappers:
        blueprint = blueprint_of_module(mapper.class_.__module__)
        for table in mapper.tables:
            owners.setdefault(table.name, blueprint)
    return owners


def blueprint_of_module(module):
    parts = module.split(".")
    if "blueprints" in parts[:-1]:
        return parts[parts.index("blueprints") + 1]
    return parts[-2] if len(parts) > 1 else parts[0]


def blueprints_touched(tables, owners):
    """The sorted blueprints owning `tables`; tables no model declares today are named as such."""
    return sorted({owners.get(table, UNOWNED) for table in tables})
