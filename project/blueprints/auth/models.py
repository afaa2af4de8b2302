import secrets
import time
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import DateTime, String, bindparam, select
from sqlalchemy.orm import Mapped, mapped_column

from project.blueprints.auth.passwords import hash_password, verify_password
from project.extensions import db, login_manager


def new_session_token():
    return secrets.token_hex(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # argon2id hashes are about 100 characters; Werkzeug's scrypt ones from before, 162.
    # NULL for accounts that predate passwords: they cannot log in until one is set.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # When the owner of the address followed the link mailed to it; NULL until then.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # What the session and remember-me cookies carry instead of the id
    # (Flask-Login's alternative tokens). Rotating it voids every cookie issued.
    session_token: Mapped[str] = mapped_column(
        String(64), unique=True, default=new_session_token
    )

    def get_id(self):
        """What the session and remember-me cookies carry: the token and when it was issued.

        Flask-Login's remember cookie holds no date of its own and the browser's
        expiry binds only honest browsers; `load_user` refuses a copy older than
        REMEMBER_COOKIE_DURATION. The cookie is signed, so the date cannot be changed.
        """
        return f"{self.session_token}.{int(time.time())}"

    def set_password(self, password):
        """A new password ends every session: each cookie carries the old token."""
        self.password_hash = hash_password(password)
        self.rotate_session_token()

    def check_password(self, password):
        """True if `password` is this account's; a hash in an older format is renewed.

        The renewed hash is only set on the object: the caller commits it with
        the login it belongs to.
        """
        if self.password_hash is None:
            return False
        matches, needs_rehash = verify_password(self.password_hash, password)
        if matches and needs_rehash:
            self.password_hash = hash_password(password)
        return matches

    def rotate_session_token(self):
        self.session_token = new_session_token()

    def __repr__(self):
        return f"<User {self.id} {self.email}>"


def user_with_email(email):
    """The account whose address is `email`, character for character, or None.

    MariaDB's default collation compares without accents ("ádà@example.com" finds
    "ada@example.com"): each spelling would be counted apart by the throttles while
    all of them guess one account's password or send mail to its owner.
    """
    user = db.session.scalar(select(User).where(User.email == email))
    return user if user is not None and user.email == email else None


# Accounts without a password cannot log in, so no cookie may stand for them; their
# placeholder tokens ("unset-ID") are guessable. Built once: it runs on every request.
USER_OF_SESSION_TOKEN = select(User).where(
    User.session_token == bindparam("token"), User.password_hash.is_not(None)
)


@login_manager.user_loader
def load_user(cookie_id):
    session_token, _, issued = cookie_id.partition(".")
    lifetime = current_app.config["REMEMBER_COOKIE_DURATION"].total_seconds()
    if not issued.isdigit() or time.time() - int(issued) > lifetime:
        return None
    return db.session.scalar(USER_OF_SESSION_TOKEN, {"token": session_token})
