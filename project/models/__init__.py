"""Every model of every blueprint, imported so that Alembic autogenerate sees all tables."""
from project.blueprints.auth.models import User  # noqa: F401
