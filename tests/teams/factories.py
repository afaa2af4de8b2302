import factory

from project.blueprints.teams.models import Membership, Role, Team
from project.blueprints.teams.slugs import slugify
from tests.auth.factories import UserFactory
from tests.factories import ModelFactory


class TeamFactory(ModelFactory):
    """A team with its owner: `TeamFactory()` makes the owner too,
    `TeamFactory(owner=user)` makes `user` the owner."""

    class Meta:
        model = Team

    name = factory.Faker("company")
    # The sequence keeps slugs unique when Faker repeats a company name.
    slug = factory.LazyAttributeSequence(lambda team, n: f"{slugify(team.name)}-{n}")

    @factory.post_generation
    def owner(team, create, extracted, **kwargs):
        if create:
            MembershipFactory(team=team, user=extracted or UserFactory(**kwargs), role=Role.OWNER)


class MembershipFactory(ModelFactory):
    """A member of a team: a new user in a new team unless told which."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = Role.MEMBER
