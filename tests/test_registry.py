"""The registry guard: every models module under project/blueprints/ is imported by project/models/.

A models module the registry misses is invisible to autogenerate, which then
proposes to drop its tables. The check reads the source rather than importing
it: importing any blueprint pulls in every other one through the views, so
sys.modules would hide a missing line.
"""
import ast

from tests.cli import REPO_ROOT


def models_modules(root):
    """Dotted names of every `models.py` and `models/` package under root/project/blueprints/."""
    blueprints = root / "project" / "blueprints"
    found = set()
    for path in blueprints.rglob("models.py"):
        found.add(path.with_suffix(""))
    for path in blueprints.rglob("models/__init__.py"):
        found.add(path.parent)
    return {".".join(path.relative_to(root).parts) for path in found}


def modules_imported_by_registry(root):
    imported = set()
    for source in (root / "project" / "models").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
                # `from project.blueprints.notes import models` imports a module too.
                imported.update(f"{node.module}.{alias.name}" for alias in node.names)
    return imported


def unregistered_models_modules(root):
    return sorted(models_modules(root) - modules_imported_by_registry(root))


def test_every_blueprints_models_module_is_in_the_registry():
    missing = unregistered_models_modules(REPO_ROOT)
    assert not missing, (
        "project/models/__init__.py does not import "
        + ", ".join(missing)
        + ": autogenerate cannot see their tables. Add one line per module, e.g. "
        + f"`from {missing[0]} import ...  # noqa: F401`."
    )


def write(path, text=""):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_the_guard_names_a_models_module_the_registry_misses(tmp_path):
    blueprints = tmp_path / "project" / "blueprints"
    write(blueprints / "auth" / "models.py")
    write(blueprints / "notes" / "models.py")
    write(blueprints / "billing" / "models" / "__init__.py")
    write(blueprints / "billing" / "models" / "invoices.py")
    write(blueprints / "main" / "views.py")
    write(tmp_path / "project" / "models" / "__init__.py",
          "from project.blueprints.auth.models import User\n")
    assert unregistered_models_modules(tmp_path) == [
        "project.blueprints.billing.models", "project.blueprints.notes.models"
    ]

    write(tmp_path / "project" / "models" / "__init__.py",
          "from project.blueprints.auth.models import User\n"
          "from project.blueprints.notes import models\n"
          "import project.blueprints.billing.models\n")
    assert unregistered_models_modules(tmp_path) == []
