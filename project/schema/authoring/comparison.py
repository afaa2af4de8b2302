"""What autogenerate compares beyond Alembic's defaults, handed to `context.configure`.

Importing the modules named here registers their comparators and renderers
with Alembic, and the operations their scripts use.
"""
from project.schema.authoring import casts, defaults, enums  # noqa: F401  (casts registers)

COMPARISON_SETTINGS = {
    "compare_type": enums.compare_type,
    "compare_server_default": defaults.compare_server_default,
}
