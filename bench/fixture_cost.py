"""What a test's database fixture costs: the project's way against the two common recipes.

The same factory-seeded tests run three ways, on the project's whole schema:

  project      the schema built once by the migrations; each test inside a
               transaction that is rolled back (tests/transactions.py)
  create_all   db.create_all() before each test, db.drop_all() after it
  migrations   upgrade before each test and downgrade to base after, through a
               plain Flask-Migrate env.py (bench/plain_app.py), not this project's

Each round runs one test of each strategy in a shuffled order; a figure is the
median per-test fixture cost (set-up plus tear-down, the test's own queries
left out) with its spread, on a SQLite file and on PostgreSQL. The project's
one-time cost (building the schema once per test session) is shown too, and
spread over a suite of the size measured.

    python -m bench.fixture_cost [--tests 30] [--postgres URL] [--no-postgres]
"""
import argparse
import logging
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path

import flask_migrate
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bench.measure import compare, table
from bench.plain_app import make_plain_app
from project import create_app
from project.blueprints.auth.models import User
from project.blueprints.teams.models import Membership
from project.extensions import MIGRATIONS_DIRECTORY, db
from tests.auth.factories import UserFactory
from tests.tasks.factories import TaskFactory
from tests.databases import throwaway_database
from tests.transactions import rolled_back_session

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
# The ratio create_all/drop_all must reach for the project's way to be worth it.
TARGETS = {"SQLite file": 5, "PostgreSQL": 10}


def seed_and_count():
    UserFactory.create_batch(5)
    assert db.session.scalar(select(func.count()).select_from(User)) == 5


def seed_and_find():
    user = UserFactory(email="someone@example.com")
    assert db.session.scalar(select(User).where(User.email == "someone@example.com")) == user


def seed_and_delete():
    users = UserFactory.create_batch(3)
    db.session.delete(users[0])
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(User)) == 2


def seed_a_task_board():
    tasks = TaskFactory.create_batch(3)
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 6
    assert {task.assignee for task in tasks} <= set(db.session.scalars(select(User)))


TESTS = [seed_and_count, seed_and_find, seed_and_delete, seed_a_task_board]


@contextmanager
def project_fixture(app):
    with rolled_back_session(app):
        yield


@contextmanager
def create_all_fixture(app):
    db.create_all()
    try:
        yield
    finally:
        db.session.remove()
        db.drop_all()


def migrations_fixture(plain_migrations):
    @contextmanager
    def fixture(app):
        flask_migrate.upgrade(directory=plain_migrations)
        try:
            yield
        finally:
            db.session.remove()
            flask_migrate.downgrade(directory=plain_migrations, revision="base")
    return fixture


def one_test(app, fixture, tests_run):
    """Run the next test under `fixture`; return the seconds the fixture itself took."""
    test = TESTS[len(tests_run) % len(TESTS)]
    tests_run.append(test)
    with app.app_context():
        started = time.perf_counter()
        with fixture(app):
            body_started = time.perf_counter()
            test()
            body_ended = time.perf_counter()
        ended = time.perf_counter()
    return (body_started - started) + (ended - body_ended)


def measure_backend(label, server, count, workdir):
    plain = make_plain_app(Path(workdir) / f"plain-{label.split()[0]}",
                           Path(MIGRATIONS_DIRECTORY) / "versions")
    strategies = {"project": project_fixture, "create_all": create_all_fixture,
                  "migrations (plain Flask-Migrate)": migrations_fixture(
                      str(plain / "migrations"))}
    with ExitStack() as stack:
        candidates, build_seconds = {}, None
        for name, fixture in strategies.items():
            url = stack.enter_context(throwaway_database(workdir, server))
            app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
            if name == "project":
                with app.app_context():
                    started = time.perf_counter()
                    flask_migrate.upgrade()
                    build_seconds = time.perf_counter() - started
            candidates[name] = partial(one_test, app, fixture, [])
            stack.callback(dispose, app)
        figures = compare(candidates, count)
    note = (f"Per test, {count} tests each. The project's one-time cost, building the schema "
            f"once per test session: {build_seconds * 1000:.1f} ms, "
            f"{build_seconds / count * 1000:.2f} ms a test over these {count}.")
    ratio = figures["create_all"].median / figures["project"].median
    target = TARGETS[label]
    verdict = "met" if ratio >= target else "NOT met"
    return (table(f"Test fixture cost: {label}", figures, baseline="project", note=note)
            + f"Target: create_all/drop_all at least {target}x the project's: {verdict} "
              f"({ratio:.1f}x).\n")


def dispose(app):
    with app.app_context():
        db.engine.dispose()


def measure(tests, postgres):
    """The Markdown report: SQLite, and PostgreSQL at `postgres` unless it is None."""
    # Quiet Alembic: its INFO lines would drown the figures.
    logging.disable(logging.INFO)
    targets = [("SQLite file", "")]
    if postgres:
        targets.append(("PostgreSQL", postgres))
    sections = []
    with tempfile.TemporaryDirectory() as workdir:
        for label, server in targets:
            try:
                sections.append(measure_backend(label, server, tests, workdir))
            except OperationalError as error:
                reason = str(error.orig).strip().splitlines()[0]
                sys.exit(f"bench: cannot reach {label} at {server}: {reason} "
                         "(start it, pass --postgres URL, or --no-postgres)")
    return "\n".join(sections)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", type=int, default=30, help="tests per strategy (default 30)")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="PostgreSQL server URL")
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    args = parser.parse_args()
    print(measure(args.tests, None if args.no_postgres else args.postgres))


if __name__ == "__main__":
    main()
