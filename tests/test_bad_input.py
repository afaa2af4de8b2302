"""Every route, with hostile values in every part of its URL and form: 4xx or a page, never 5xx.

The routes come from app.url_map and the form fields from every Form subclass,
so a route or a field added later is walked without anyone listing it here.
"""
import re
from urllib.parse import quote

import pytest

import project.blueprints  # noqa: F401  (every blueprint's forms are imported with it)
from project.blueprints.teams.models import Role
from project.forms import Form
from tests.conftest import csrf_token_from
from tests.tasks.factories import TaskFactory
from tests.teams.factories import MembershipFactory

HOSTILE_VALUES = [
    "99999999999999999999",  # beyond 64 bits
    "2147483648",  # one beyond a database INTEGER
    "-1",
    "0",
    "1\x00",
    "\x00",
    "x" * 5000,
    "é☃\U0001F600",
    "' OR 1=1 --",
    "../../etc/passwd",
    "0001-01-01",
]
ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def every_form_field_name():
    names, pending = set(), list(Form.__subclasses__())
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        names.update(name for name, value in vars(form).items()
                     if hasattr(value, "field_class"))
    return sorted(names)


def walked_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def url_with(rule, valid, hostile_argument=None, hostile_value=None):
    def value_of(match):
        name = match.group(1)
        value = hostile_value if name == hostile_argument else valid.get(name, "1")
        return quote(str(value), safe="")
    return ARGUMENT.sub(value_of, rule.rule)


def hostile_requests(app, valid):
    """(method, url, form data) for every rule: hostile URL parts, then hostile form values."""
    fields = every_form_field_name()
    for rule in walked_rules(app):
        for method in sorted(rule.methods & {"GET", "POST"}):
            for argument in rule.arguments:
                for value in HOSTILE_VALUES:
                    yield method, url_with(rule, valid, argument, value), {}
            if method == "POST":
                for value in HOSTILE_VALUES:
                    yield method, url_with(rule, valid), {field: value for field in fields}


def assert_no_server_error(client, requests, token=None):
    failures = []
    for method, url, data in requests:
        if method == "POST" and token:
            data = {**data, "csrf_token": token}
        response = client.open(url, method=method, data=data)
        if response.status_code >= 500:
            failures.append(f"{method} {url[:80]!r} {sorted(data)[:3]}: {response.status_code}")
    assert failures == []
    return len(requests)


@pytest.fixture
def task(db_session):
    return TaskFactory()


@pytest.fixture
def valid_values(task):
    """Real ids and slugs, so that a hostile value in one part reaches past the others."""
    member = MembershipFactory(team=task.team)
    return {"slug": task.team.slug, "task_id": task.id, "user_id": member.user_id}


def owner_of(team):
    return next(m.user for m in team.memberships if m.role is Role.OWNER)


def test_every_route_refuses_hostile_input_logged_out(app, client, valid_values):
    token = csrf_token_from(client.get("/auth/login").text)
    assert assert_no_server_error(client, list(hostile_requests(app, valid_values)), token) > 200


def test_every_route_refuses_hostile_input_logged_in(app, client, login, task, valid_values):
    # The owner: the member-removal route goes as far as it can.
    login(owner_of(task.team))
    token = csrf_token_from(client.get("/account/").text)
    assert assert_no_server_error(client, list(hostile_requests(app, valid_values)), token) > 200


def test_an_id_beyond_the_database_integer_is_not_found(client, login, task):
    login(owner_of(task.team))
    for path in ["/tasks/99999999999999999999/edit", "/tasks/2147483648/edit"]:
        assert client.get(path).status_code == 404


def test_a_nul_character_in_the_address_is_a_bad_request(client):
    assert client.get("/teams/a%00b/").status_code == 400
    assert client.get("/auth/login?next=%00").status_code == 400


def test_the_walk_covers_every_route_and_every_form_field(app):
    endpoints = {rule.endpoint for rule in walked_rules(app)}
    assert {"tasks.edit", "tasks.move", "tasks.delete", "teams.remove_member",
            "auth.login", "health.readyz"} <= endpoints
    assert {"title", "due_date", "assignee_id", "email", "password", "name"} \
        <= set(every_form_field_name())
