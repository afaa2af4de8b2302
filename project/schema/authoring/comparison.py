"""What autogenerate compares beyond Alembic's defaults, handed to `context.configure`.

Importing the modules named here registers their comparators and renderers
with Alembic, and the operations their scripts use.
"""
# casts, checks and primary_keys register their comparators; nothing else of theirs is named.
from project.schema.authoring import casts, checks, defaults, enums, primary_keys  # noqa: F401

COMPARISON_SETTINGS = {
    "compare_type": enums.compare_type,
    "compare_server_default": defaults.compare_server_default,
}
