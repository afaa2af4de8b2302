"""The baseline of bench.pages: a minimal Flask + Flask-Login app, no database.

A logged-in page rendered from a template, as the project's pages are; what
any Flask app with a login pays per request, whatever it does.
"""
from flask import Flask, render_template_string
from flask_login import LoginManager, UserMixin, login_required, login_user

app = Flask(__name__)
app.config["SECRET_KEY"] = "bench-only"
login_manager = LoginManager(app)

PAGE = """<!doctype html><title>Page</title><h1>Hello {{ current_user.name }}</h1>
<ul>{% for n in range(10) %}<li>Item {{ n }}</li>{% endfor %}</ul>"""


class User(UserMixin):
    def __init__(self, user_id):
        self.id, self.name = user_id, f"User {user_id}"


@login_manager.user_loader
def load_user(user_id):
    return User(user_id)


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.get("/login")
def login():
    login_user(User("1"))
    return "logged in"


@app.get("/page")
@login_required
def page():
    return render_template_string(PAGE)
