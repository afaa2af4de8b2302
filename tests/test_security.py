"""Headers on every page: no inline code can run, no framing, no caching of a user's pages."""
import pytest
from flask import request

from project import create_app
from tests.auth.factories import UserFactory

REAL_KEY = "k" * 64


def test_the_policy_allows_no_inline_script_or_style_and_no_framing(client):
    policy = client.get("/auth/login").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_pages_carry_no_inline_script_or_style(client, login):
    login(UserFactory())
    for path in ("/", "/account/", "/teams/", "/tasks/", "/auth/login"):
        page = client.get(path, follow_redirects=True).text
        assert "<script>" not in page and "<style" not in page and " style=" not in page, path


def test_a_signed_in_users_pages_are_not_cached_and_public_ones_may_be(client, login):
    assert "no-store" not in client.get("/auth/login").headers.get("Cache-Control", "")
    login(UserFactory())
    assert client.get("/account/").headers["Cache-Control"] == "no-store"


def test_hsts_in_production_only(client, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/auth/login").headers
    monkeypatch.setenv("SECRET_KEY", REAL_KEY)
    production = create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    answer = production.test_client().get("/auth/login")
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.parametrize("proxies, expected", [(0, "10.1.1.1"), (1, "203.0.113.9")])
def test_client_addresses_come_from_as_many_proxies_as_are_configured(
    monkeypatch, proxies, expected
):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://", "PROXY_COUNT": proxies})
    seen = []
    app.before_request(lambda: seen.append(request.remote_addr))
    app.test_client().get("/auth/login", environ_base={"REMOTE_ADDR": "10.1.1.1"},
                          headers={"X-Forwarded-For": "203.0.113.9"})
    assert seen == [expected]


def test_with_trusted_hosts_set_a_request_naming_another_host_is_refused(monkeypatch):
    """Mailed links (reset, confirmation, invitation) are made from the request's host: a
    front server that passes any Host on would let a client choose the site they name."""
    monkeypatch.setenv("TRUSTED_HOSTS", "project.example, www.project.example")
    client = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"}).test_client()
    assert client.get("/auth/login", base_url="https://www.project.example").status_code == 200
    refused = client.get("/auth/forgot", base_url="https://attacker.example")
    assert refused.status_code == 400
    assert "attacker.example" not in refused.text
