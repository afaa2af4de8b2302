"""The baselines of bench.pages: minimal Flask + Flask-Login apps.

`app` is the goal's baseline (issue 12): a logged-in page rendered from a
template, and no database. `app_with_database` is the same page whose
user_loader reads the user from the project's own `users` table through
Flask-SQLAlchemy, as a real app's does: what any page with a login costs before
it does anything of its own.

Both render a named template, compiled once as a real app's template files are
(render_template_string would compile it again on every request).
"""
import os

from flask import Flask, render_template
from flask_login import LoginManager, UserMixin, login_required, login_user
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader
from sqlalchemy.orm import Mapped, mapped_column

PAGE = """<!doctype html><title>Page</title><h1>Hello {{ current_user.name }}</h1>
<ul>{% for n in range(10) %}<li>Item {{ n }}</li>{% endfor %}</ul>"""


def minimal_app(load_user):
    minimal = Flask(__name__)
    minimal.config["SECRET_KEY"] = "bench-only"
    minimal.jinja_loader = DictLoader({"page.html": PAGE})
    LoginManager(minimal).user_loader(load_user)

    @minimal.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @minimal.get("/login")
    def login():
        login_user(load_user("1"))
        return "logged in"

    @minimal.get("/page")
    @login_required
    def page():
        return render_template("page.html")

    return minimal


class User(UserMixin):
    def __init__(self, user_id):
        self.id, self.name = user_id, f"User {user_id}"


app = minimal_app(User)

db = SQLAlchemy()


class StoredUser(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


def stored_user(user_id):
    return db.session.get(StoredUser, int(user_id))


app_with_database = minimal_app(stored_user)
# The project's database (bench.pages serves this app with DATABASE_URL set to it).
app_with_database.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite://")
db.init_app(app_with_database)
