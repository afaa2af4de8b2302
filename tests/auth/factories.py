import factory
from argon2 import PasswordHasher

from project.blueprints.auth.models import User
from project.config import TestingConfig
from tests.factories import ModelFactory

HASHER = PasswordHasher(
    time_cost=TestingConfig.ARGON2_TIME_COST, memory_cost=TestingConfig.ARGON2_MEMORY_COST,
    parallelism=TestingConfig.ARGON2_PARALLELISM,
)

DEFAULT_PASSWORD = "correct horse battery staple"


class UserFactory(ModelFactory):
    class Meta:
        model = User

    class Params:
        password = DEFAULT_PASSWORD

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password_hash = factory.LazyAttribute(lambda user: HASHER.hash(user.password))
