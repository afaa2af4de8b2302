"""Every model of every blueprint, imported so that Alembic autogenerate sees all tables."""
from project.blueprints.auth.models import User  # noqa: F401
from project.blueprints.teams.models import Invitation, Membership, Team  # noqa: F401
from project.blueprints.tasks.models import Task  # noqa: F401
