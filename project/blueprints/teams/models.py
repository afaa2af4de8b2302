import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from project.blueprints.auth.models import User
from project.extensions import db


class Role(enum.Enum):
    OWNER = "owner"
    MEMBER = "member"


class Team(db.Model):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    # The team's address in URLs, made from its name (see slugs.py).
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    # Optimistic concurrency, as for tasks: an UPDATE from a stale read changes nothing.
    version: Mapped[int] = mapped_column(server_default="1")

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="team", cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self):
        return f"<Team {self.id} {self.name}>"

    def members_by_name(self):
        """[(user id, name)] of the team's members, by name: what a list of them shows,
        without loading their memberships and accounts."""
        return db.session.execute(
            select(User.id, User.name).join(Membership, Membership.user_id == User.id)
            .where(Membership.team_id == self.id).order_by(User.name, User.id)
        ).all()


class Membership(db.Model):
    """A user's place in a team. Deleting either side deletes the membership."""

    __tablename__ = "memberships"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    # The primary key leads with team_id; this index answers "which teams is this user in".
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[Role] = mapped_column(
        # Stored as the lowercase values ("owner"), the words a person reads in the database.
        # create_constraint: a CHECK where the database has no enum type (SQLite).
        Enum(Role, name="membership_role", values_callable=lambda roles: [r.value for r in roles],
             create_constraint=True),
        default=Role.MEMBER,
    )

    team: Mapped[Team] = relationship(back_populates="memberships")
    # Wherever a membership is shown, its user's name is: load them together.
    user: Mapped[User] = relationship(lazy="joined")

    def __repr__(self):
        return f"<Membership team={self.team_id} user={self.user_id} {self.role.value}>"


class Invitation(db.Model):
    """An owner's invitation to an address: a membership once its owner accepts.

    One per team and address; inviting again renews it. Deleted when accepted,
    declined or cancelled, and with its team.
    """

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("team_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

    team: Mapped[Team] = relationship()
    invited_by: Mapped[User | None] = relationship()

    def __repr__(self):
        return f"<Invitation team={self.team_id} {self.email}>"
