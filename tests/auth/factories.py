import factory
from werkzeug.security import generate_password_hash

from project.blueprints.auth.models import User
from project.config import TestingConfig
from tests.factories import ModelFactory

DEFAULT_PASSWORD = "correct horse battery staple"


class UserFactory(ModelFactory):
    class Meta:
        model = User

    class Params:
        password = DEFAULT_PASSWORD

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password_hash = factory.LazyAttribute(
        lambda user: generate_password_hash(
            user.password, method=TestingConfig.PASSWORD_HASH_METHOD
        )
    )
