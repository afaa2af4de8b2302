import datetime
import enum

from sqlalchemy import Enum, ForeignKey, String, Text, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.blueprints.auth.models import User
from project.blueprints.teams.models import Team
from project.blueprints.teams.signals import membership_ending
from project.extensions import db


class Status(enum.Enum):
    TODO = "todo"
    DOING = "doing"
    DONE = "done"

    @property
    def label(self):
        return {"todo": "To do", "doing": "Doing", "done": "Done"}[self.value]


class Task(db.Model):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Every page lists one team's tasks: the index serves them all.
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[Status] = mapped_column(
        # create_constraint: a CHECK where the database has no enum type (SQLite).
        Enum(Status, name="task_status", values_callable=lambda all_: [s.value for s in all_],
             create_constraint=True),
        default=Status.TODO,
    )
    # A user who leaves the site leaves their tasks unassigned, not deleted.
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_date: Mapped[datetime.date | None]

    team: Mapped[Team] = relationship()
    assignee: Mapped[User | None] = relationship()

    def __repr__(self):
        return f"<Task {self.id} {self.title!r} {self.status.value}>"


@membership_ending.connect
def unassign_tasks_of_leaving_member(membership):
    """An assignee is always a member of the task's team: one who leaves gives their tasks back."""
    db.session.execute(
        update(Task)
        .where(Task.team_id == membership.team_id, Task.assignee_id == membership.user_id)
        .values(assignee_id=None)
    )
