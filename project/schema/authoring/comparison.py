"""What autogenerate compares beyond Alembic's defaults, handed to `context.configure`.

Importing the modules named here registers their comparators and renderers
with Alembic, and the operations their scripts use.
"""
from project.schema.authoring import enums

COMPARISON_SETTINGS = {
    "compare_type": enums.compare_type,
}
