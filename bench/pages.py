"""How fast the main pages answer under gunicorn, beside a minimal Flask + Flask-Login app.

For each backend (a SQLite file; PostgreSQL unless --no-postgres), one user in
two teams, one with a board's page of tasks (50) and one with --tasks tasks
(10,000 by default), every task assigned to the user: the same first page must
cost the same for both, and the home page shows the first page of them all. The
project and the two minimal apps of bench/minimal_app.py are each served by
gunicorn with --workers workers; then `wrk`
drives each page, logged in, for --seconds, --runs times, the project's pages and
the minimal apps' taking turns in a shuffled order so that all see the same
machine. Prints the medians: requests per second, p50 and p95 latency, and each
page's requests per second as a fraction of each minimal app's.

    python -m bench.pages [--seconds 5] [--runs 3] [--connections 8] [--workers 2]
                          [--tasks 10000] [--postgres URL] [--no-postgres]

Needs `wrk` (Debian: apt-get install wrk).
"""
import argparse
import logging
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import flask_migrate
import sqlalchemy as sa

from project import create_app
from project.blueprints.auth.models import User
from project.blueprints.tasks.home import OPEN_TASKS_PER_PAGE
from project.blueprints.tasks.models import Status, Task
from project.blueprints.tasks.views import TASKS_PER_PAGE
from project.blueprints.teams.models import Membership, Role, Team
from project.extensions import db
from tests.auth.factories import DEFAULT_PASSWORD, UserFactory
from tests.databases import throwaway_database
from tests.server import browser, live_server, log_in

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
MINIMAL = "minimal Flask + Flask-Login"
# A board's page: the small team's board shows as many tasks as the large team's first page.
SMALL_TEAM_TASKS = TASKS_PER_PAGE
WITH_DATABASE = "minimal, its user read from the database"
# wrk's summary as one line: requests, seconds, p50 and p95 in microseconds, errors.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %f %d %d %d\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def seed(url, large_team_tasks):
    """A user in a team of one page of tasks and a team of `large_team_tasks`; returns the
    user's email."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade()
        user = UserFactory(email="bench@example.com", name="Bench")
        for slug, count in (("small", SMALL_TEAM_TASKS), ("large", large_team_tasks)):
            team = Team(name=slug.title(), slug=slug)
            db.session.add(team)
            db.session.flush()
            db.session.add(Membership(team=team, user_id=user.id, role=Role.OWNER))
            db.session.flush()
            db.session.execute(sa.insert(Task.__table__), [
                {"team_id": team.id, "title": f"Task {n} of {slug}", "status": Status.TODO.value,
                 "assignee_id": user.id, "assignee_team_id": team.id}
                for n in range(count)
            ])
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
        db.session.remove()
        db.engine.dispose()
    return "bench@example.com"


def session_cookie(base, login):
    with browser(base) as client:
        login(client)
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in client.cookies.jar)


def drive(url, cookie, seconds, connections):
    """One wrk run: (requests per second, p50 ms, p95 ms)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_REPORT)
        script.flush()
        output = subprocess.run(
            ["wrk", f"--threads={min(connections, 2)}", f"--connections={connections}",
             f"--duration={seconds}s", "--script", script.name, "-H", f"Cookie: {cookie}", url],
            capture_output=True, text=True, check=True,
        ).stdout
    requests, duration, p50, p95, errors = output.split("RESULT ")[1].split()
    if int(errors):
        raise SystemExit(f"{url}: {errors} requests failed or answered an error")
    return int(requests) / float(duration), int(p50) / 1000, int(p95) / 1000


def measure_backend(name, url, options):
    email = seed(url, options.tasks)
    settings = {"APP_ENV": "production"}
    with ExitStack() as servers:
        project = servers.enter_context(live_server(url, options.workers, settings))
        minimal = servers.enter_context(
            live_server(url, options.workers, settings, app_spec="bench.minimal_app:app"))
        with_database = servers.enter_context(live_server(
            url, options.workers, settings, app_spec="bench.minimal_app:app_with_database"))
        project_cookie = session_cookie(
            project, lambda client: log_in(client, email, DEFAULT_PASSWORD))
        cookies = {base: session_cookie(base, lambda client: client.get("/login"))
                   for base in (minimal, with_database)}
        pages = {
            MINIMAL: minimal + "/page",
            WITH_DATABASE: with_database + "/page",
            "/tasks/": project + "/tasks/",
            f"/tasks/team/small/ ({SMALL_TEAM_TASKS} tasks)": project + "/tasks/team/small/",
            f"/tasks/team/large/ ({options.tasks} tasks)": project + "/tasks/team/large/",
            "/teams/": project + "/teams/",
            f"/ (home: {OPEN_TASKS_PER_PAGE} of {SMALL_TEAM_TASKS + options.tasks} open tasks)":
                project + "/",
        }
        runs = {page: [] for page in pages}
        order = list(pages)
        for _ in range(options.runs):
            random.shuffle(order)
            for page in order:
                address = pages[page]
                cookie = next((cookie for base, cookie in cookies.items()
                               if address.startswith(base)), project_cookie)
                runs[page].append(drive(address, cookie, options.seconds, options.connections))
    medians = {page: tuple(statistics.median(run[i] for run in results) for i in range(3))
               for page, results in runs.items()}
    baseline, floor = medians[MINIMAL][0], medians[WITH_DATABASE][0]
    return [f"| {name} | {page} | {rate:.0f} | {p50:.1f} | {p95:.1f} | {rate / baseline:.2f}x "
            f"| {rate / floor:.2f}x |" for page, (rate, p50, p95) in medians.items()]


def measure(options):
    """The Markdown report: each page beside the minimal app, on SQLite and PostgreSQL."""
    if shutil.which("wrk") is None:
        raise SystemExit("bench.pages needs wrk: apt-get install wrk")
    logging.disable(logging.INFO)  # the migrations' progress lines
    lines = [
        "### Pages under load (gunicorn, wrk)", "",
        f"Medians of {options.runs} runs of {options.seconds} s each, pages in a shuffled order "
        f"each run, {options.connections} connections, gunicorn --workers {options.workers}. "
        "Goal (issue 12): at least 0.8x the minimal Flask + Flask-Login app (no database). "
        "The last column compares with the same minimal app whose user_loader reads its user "
        "from the same database through Flask-SQLAlchemy, as every real app's does "
        "(bench/minimal_app.py).", "",
        "| backend | page | req/s | p50 ms | p95 ms | vs minimal | vs minimal with its user "
        "read from the database |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    backends = [("sqlite", "")]
    if not options.no_postgres:
        backends.append(("postgresql", options.postgres))
    for name, server in backends:
        with tempfile.TemporaryDirectory() as folder, \
                throwaway_database(Path(folder), server=server) as url:
            lines += measure_backend(name, url, options)
    return "\n".join(lines) + "\n"


def options_from(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; medians are printed")
    parser.add_argument("--connections", type=int, default=8, help="wrk's open connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each app")
    parser.add_argument("--tasks", type=int, default=10_000, help="tasks of the large team")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="a PostgreSQL server URL")
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite alone")
    return parser.parse_args(argv)


def main(argv=None):
    print(measure(options_from(argv)))


if __name__ == "__main__":
    sys.exit(main())
