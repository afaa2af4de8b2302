"""A team's slug: its name, lowercased ASCII words joined by hyphens, unique among teams."""
import re
import unicodedata

from sqlalchemy import select

from project.blueprints.teams.models import Team
from project.extensions import db

SLUG_BASE_LENGTH = 80


def slugify(name):
    """'Équipe Bleue!' -> 'equipe-bleue'; a name with no ASCII letters or digits -> 'team'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:SLUG_BASE_LENGTH] or "team"


def unique_slug(name):
    """slugify(name), with "-2", "-3", ... appended if teams already use it."""
    base = slugify(name)
    # Slugs hold only [a-z0-9-], so the prefix is safe inside LIKE.
    taken = set(db.session.scalars(
        select(Team.slug).where((Team.slug == base) | Team.slug.startswith(f"{base}-"))
    ))
    slug, suffix = base, 1
    while slug in taken:
        suffix += 1
        slug = f"{base}-{suffix}"
    return slug
