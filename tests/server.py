"""A live gunicorn serving `wsgi:app` from this checkout, and browsers to drive it, for tests
and benchmarks that need real workers."""
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from http.cookiejar import CookieJar, DefaultCookiePolicy

import flask_migrate
import httpx

from project import create_app
from project.extensions import db
from tests.auth.factories import DEFAULT_PASSWORD
from tests.cli import REPO_ROOT, environment
from tests.conftest import CSRF_INPUT
from tests.teams.factories import MembershipFactory, TeamFactory


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def live_server(database_url, workers=4, settings=None, app_spec="wsgi:app"):
    """Yield the base URL of gunicorn with `workers` workers on `database_url`; stop it after.

    `app_spec` is what gunicorn serves; it must answer /healthz once it is up.
    """
    port = free_port()
    env = environment({"DATABASE_URL": database_url,
                       "SECRET_KEY": "live-server-test-key-" + "0" * 32, **(settings or {})})
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    # A file, not a pipe: a pipe nobody reads would fill up and stall the server.
    with tempfile.TemporaryFile("w+") as log, subprocess.Popen(
        [gunicorn, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", app_spec],
        cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    ) as process:
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(base, process, log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_until_healthy(base, process, log, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn exited: {log.read()}")
        try:
            if httpx.get(base + "/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def browser(base):
    """An httpx client that keeps cookies as a browser does on http://127.0.0.1.

    Production marks its cookies Secure; browsers send those to localhost over
    plain HTTP, Python's cookie jar only over HTTPS unless told otherwise.
    """
    jar = CookieJar(policy=DefaultCookiePolicy(secure_protocols=("https", "wss", "http")))
    cookies = httpx.Cookies(jar)

    def send_cookies(request):
        # httpx copies the jar for each request into one with the default policy.
        cookies.set_cookie_header(request)

    return httpx.Client(base_url=base, cookies=jar, timeout=60,
                        event_hooks={"request": [send_cookies]})


def csrf_token(client, path):
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    return CSRF_INPUT.search(page.text).group(1)


def log_in(client, email, password=DEFAULT_PASSWORD):
    token = csrf_token(client, "/auth/login")
    response = client.post("/auth/login",
                           data={"csrf_token": token, "email": email, "password": password})
    assert response.status_code == 302, response.text
    return client


def seed_a_team(database_url, members):
    """Migrate the database to head; one team with `members` users. Returns (slug, emails)."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        flask_migrate.upgrade()
        team = TeamFactory(name="Load")
        users = [MembershipFactory(team=team).user for _ in range(members)]
        slug, emails = team.slug, [user.email for user in users]
        db.session.remove()
        db.engine.dispose()
    return slug, emails
