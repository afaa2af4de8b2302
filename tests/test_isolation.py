"""Each test runs in its own rolled-back transaction: what one writes, the next never sees.

The two tests below each write the same row after asserting it is absent;
whichever runs second fails if the first one's row leaked.
"""
import pytest
from sqlalchemy import func, select

from project.blueprints.auth.models import User
from tests.auth.factories import UserFactory


@pytest.mark.parametrize("attempt", ["first", "second"])
def test_rows_from_other_tests_are_gone(db_session, attempt):
    assert db_session.scalar(select(func.count()).select_from(User)) == 0
    UserFactory(email="isolated@example.com")
    assert db_session.scalar(select(func.count()).select_from(User)) == 1


@pytest.mark.parametrize("attempt", ["first", "second"])
def test_rows_committed_by_a_request_are_gone(client, post_form, db_session, attempt):
    assert db_session.scalar(select(User).where(User.email == "committed@example.com")) is None
    response = post_form(
        "/auth/register",
        {"name": "Ada", "email": "committed@example.com", "password": "lantern orbit mosaic",
         "confirm": "lantern orbit mosaic"},
    )
    assert response.status_code == 302
    assert db_session.scalar(select(User).where(User.email == "committed@example.com"))
