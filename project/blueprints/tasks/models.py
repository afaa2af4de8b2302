import datetime
import enum

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    event,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.blueprints.auth.models import User
from project.blueprints.teams.models import Team
from project.blueprints.teams.signals import (
    counted,
    losses_of_membership_ending,
    losses_of_team_deletion,
    membership_ending,
)
from project.extensions import db


class Status(enum.Enum):
    TODO = "todo"
    DOING = "doing"
    DONE = "done"

    @property
    def label(self):
        return STATUS_LABELS[self.value]


# By value: a status added or removed needs no other line changed to import.
STATUS_LABELS = {"todo": "To do", "doing": "Doing", "done": "Done"}
# Not done: the tasks a person still has to do (their home page lists them). Written so that
# a status added or removed needs no change here to import.
OPEN_STATUSES = tuple(status for status in Status if status is not Status.DONE)
# Each status's others, in board order: every card of a board asks for its task's.
OTHER_STATUSES = {status: tuple(other for other in Status if other is not status)
                  for status in Status}


class Task(db.Model):
    __tablename__ = "tasks"
    __table_args__ = (
        # The database itself keeps every assignee a member of the task's team, so
        # that a member removed while a task is being assigned to them cannot stay
        # its assignee: the assignment is a key to the membership, and goes with it.
        # The key needs a column of its own beside team_id: ON DELETE SET NULL
        # empties every column of a key, and team_id must stay.
        ForeignKeyConstraint(["assignee_team_id", "assignee_id"],
                             ["memberships.team_id", "memberships.user_id"],
                             ondelete="SET NULL"),
        # ... and that column is the task's own team. MariaDB refuses a CHECK on
        # columns of a key with an ON DELETE action; there keep_assignee_team
        # alone keeps it.
        CheckConstraint(
            "assignee_id IS NULL OR (assignee_team_id IS NOT NULL AND assignee_team_id = team_id)",
            name="assignee_in_team",
        ).ddl_if(dialect=("postgresql", "sqlite")),
        # Every list of tasks is one team's, read status by status, soonest due first
        # (ordering.py reads its pages from this index); it serves team_id's key too.
        Index("ix_tasks_team_id_status_due_date", "team_id", "status", "due_date", "id"),
        # A user's open tasks (the home page) are read from this one, the same way; it
        # also finds a user's tasks when the user leaves the site or a team (ON DELETE
        # SET NULL of both keys to them), which would otherwise read the whole table.
        Index("ix_tasks_assignee_id_status_due_date", "assignee_id", "status", "due_date",
              "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
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
    # team_id whenever there is an assignee (kept by keep_assignee_team below).
    assignee_team_id: Mapped[int | None]
    due_date: Mapped[datetime.date | None]
    # Optimistic concurrency: every UPDATE names the version it read, so a save
    # based on a stale read changes nothing (see the edit view's 409).
    version: Mapped[int] = mapped_column(server_default="1")
    # Who changed the task last, and when (UTC). Both NULL for tasks last changed
    # before they were recorded; a user who leaves the site leaves the time alone.
    updated_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    team: Mapped[Team] = relationship()
    # Two keys to users: each relationship names its own.
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self):
        return f"<Task {self.id} {self.title!r} {self.status.value}>"

    def other_statuses(self):
        """The statuses the task can be moved to, in board order."""
        return OTHER_STATUSES[self.status]

    def changed_by(self, user):
        """Record that `user` changes the task now (called by every view that changes it)."""
        self.updated_by = user
        self.updated_at = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


@event.listens_for(Task, "before_insert")
@event.listens_for(Task, "before_update")
def keep_assignee_team(mapper, connection, task):
    """The assignee's membership key points into the task's own team, or nowhere."""
    task.assignee_team_id = task.team_id if task.assignee_id is not None else None


@membership_ending.connect
def unassign_tasks_of_leaving_member(membership):
    """An assignee is always a member of the task's team: one who leaves gives their tasks back."""
    db.session.execute(
        update(Task)
        .where(Task.team_id == membership.team_id, Task.assignee_id == membership.user_id)
        # A bulk UPDATE leaves version_id_col alone: bump it, so an edit form
        # filled before this change is stale.
        .values(assignee_id=None, assignee_team_id=None, version=Task.version + 1)
    )


@losses_of_membership_ending.connect
def tasks_unassigned_by_leaving(membership):
    count = db.session.scalar(select(func.count()).select_from(Task).where(
        Task.team_id == membership.team_id, Task.assignee_id == membership.user_id
    ))
    if count:
        return (f"the assignment of {counted(count, 'task')} to {membership.user.name} "
                "(the tasks stay, assigned to nobody)")
    return None


@losses_of_team_deletion.connect
def tasks_deleted_with_team(team):
    count = db.session.scalar(select(func.count()).select_from(Task).where(
        Task.team_id == team.id
    ))
    return f"{counted(count, 'task')} of the team, with their descriptions"
