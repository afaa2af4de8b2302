"""What autogenerate compares beyond Alembic's defaults, handed to `context.configure`.

Importing the modules named here registers their comparators and renderers
with Alembic, and the operations their scripts use.
"""
# casts, checks, expression_indexes and primary_keys register their comparators; nothing else
# of theirs is named here.
from project.schema.authoring import (  # noqa: F401
    casts, checks, defaults, enums, expression_indexes, primary_keys,
)

COMPARISON_SETTINGS = {
    "compare_type": enums.compare_type,
    "compare_server_default": defaults.compare_server_default,
}
