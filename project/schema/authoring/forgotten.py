"""Models defined under project/blueprints/ that the registry does not import.

Autogenerate sees only the tables of imported models. A blueprint's models
module missing from `project/models/__init__.py` looks, to autogenerate,
like tables to drop. The modules are read with `ast`, not imported: what
they define is known without running them, and a broken module cannot stop
the refusal from being written.
"""
import ast
import importlib.util
from dataclasses import dataclass
from pathlib import Path

REGISTRY = "project/models/__init__.py"


@dataclass(frozen=True)
class ModelDefinition:
    class_name: str
    module: str

    @property
    def import_line(self):
        return f"from {self.module} import {self.class_name}"


def blueprints_directory():
    return Path(importlib.util.find_spec("project.blueprints").submodule_search_locations[0])


def model_definitions(directory=None):
    """Table name -> the model class that declares it with `__tablename__`, under `directory`."""
    directory = Path(directory or blueprints_directory())
    package = (directory.parent.name, directory.name)  # ("project", "blueprints")
    definitions = {}
    for path in sorted(directory.rglob("*.py")):
        module = ".".join(package + path.relative_to(directory).with_suffix("").parts)
        for class_name, table_name in declared_tables(path.read_text()):
            definitions[table_name] = ModelDefinition(class_name, module.removesuffix(".__init__"))
    return definitions


def declared_tables(source):
    """(class name, table name) for each class assigning a literal `__tablename__`."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            if (
                isinstance(statement, ast.Assign)
                and any(getattr(name, "id", None) == "__tablename__" for name in statement.targets)
                and isinstance(statement.value, ast.Constant)
            ):
                yield node.name, statement.value.value


def forgotten_model_hint(definition):
    return (
        f"the model {definition.class_name} ({definition.module}) still defines this table, "
        f"but the registry does not import it: add to {REGISTRY}:\n"
        f"    {definition.import_line}"
    )
