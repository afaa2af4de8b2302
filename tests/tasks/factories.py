import datetime

import factory

from project.blueprints.tasks.models import Status, Task
from project.blueprints.teams.models import Membership
from project.extensions import db
from tests.auth.factories import UserFactory
from tests.factories import ModelFactory
from tests.teams.factories import MembershipFactory, TeamFactory


class TaskFactory(ModelFactory):
    """A task in a team, assigned to one of its members.

    `TaskFactory()` makes the team (with its owner) and an assignee who is a
    member; `TaskFactory(assignee=user)` makes `user` a member if they are not
    one; `TaskFactory(assignee=None)` leaves it unassigned.
    """

    class Meta:
        model = Task

    team = factory.SubFactory(TeamFactory)
    title = factory.Faker("sentence", nb_words=4)
    description = factory.Faker("paragraph")
    status = Status.TODO
    assignee = factory.SubFactory(UserFactory)
    due_date = factory.Faker(
        "date_between", start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31)
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Before the task is written: the database refuses an assignee who is not a member.
        team, assignee = kwargs["team"], kwargs.get("assignee")
        if assignee is not None and db.session.get(Membership, (team.id, assignee.id)) is None:
            MembershipFactory(team=team, user=assignee)
        return super()._create(model_class, *args, **kwargs)
