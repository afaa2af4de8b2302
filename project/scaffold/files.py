"""The files of a new feature, made from the templates beside this module."""
from pathlib import Path
from string import Template

TEMPLATES = Path(__file__).parent / "templates"

# template (under templates/) -> destination (under the project root)
FEATURE_FILES = {
    "blueprint/__init__.py.tmpl": "project/blueprints/{name}/__init__.py",
    "blueprint/models.py.tmpl": "project/blueprints/{name}/models.py",
    "blueprint/forms.py.tmpl": "project/blueprints/{name}/forms.py",
    "blueprint/views.py.tmpl": "project/blueprints/{name}/views.py",
    "blueprint/index.html.tmpl": "project/blueprints/{name}/templates/{name}/index.html",
    "blueprint/new.html.tmpl": "project/blueprints/{name}/templates/{name}/new.html",
    "tests/__init__.py.tmpl": "tests/{name}/__init__.py",
    "tests/factories.py.tmpl": "tests/{name}/factories.py",
    "tests/test_views.py.tmpl": "tests/{name}/test_{name}.py",
}


def render_feature(root, name, model):
    """{destination path: text} for every file of the feature NAME."""
    values = {"name": name, "model": model, "title": name.replace("_", " ").capitalize()}
    return {
        root / destination.format(name=name):
            Template((TEMPLATES / template).read_text()).substitute(values)
        for template, destination in FEATURE_FILES.items()
    }
