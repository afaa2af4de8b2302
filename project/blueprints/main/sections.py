"""The signed-in home page is made of sections the features add, so that main imports no
feature: a blueprint can be removed by taking it out of the two lists (blueprints/ and
models/), and its models are then no longer imported by anyone.

A feature connects a receiver to `home_sections`; it is sent with the signed-in user and
returns a HomeSection, or None when it has nothing to show.
"""
from dataclasses import dataclass, field

from blinker import Namespace

signals = Namespace()

home_sections = signals.signal("home-sections")


@dataclass(frozen=True)
class HomeSection:
    # Sections show in this order, smallest first.
    order: int
    # A template included in the home page; it reads `section.values`.
    template: str
    values: dict = field(default_factory=dict)


def sections_for(user):
    found = [section for _, section in home_sections.send(user) if section is not None]
    return sorted(found, key=lambda section: section.order)
