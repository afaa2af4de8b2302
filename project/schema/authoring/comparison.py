"""What autogenerate compares beyond Alembic's defaults, handed to `context.configure`.

Importing the modules named here registers their comparators and renderers
with Alembic, and the operations their scripts use.
"""
# casts and primary_keys register their comparators; nothing else of theirs is named here.
from project.schema.authoring import casts, defaults, enums, primary_keys  # noqa: F401

COMPARISON_SETTINGS = {
    "compare_type": enums.compare_type,
    "compare_server_default": defaults.compare_server_default,
}
