"""What a test's database fixture costs: the project's way against the two common recipes.

The same factory-seeded tests run three ways, on the project's whole schema:

  project      the schema built once by the migrations; each test inside a
               transaction that is rolled back (tests/transactions.py)
  create_all   db.create_all() before each test, db.drop_all() after it
  migrations   flask_migrate.upgrade() before each test, downgrade to base after

For each, the per-test fixture cost (set-up plus tear-down, the test's own
queries left out) and its ratio to the project's, measured in the same run,
on a SQLite file and on PostgreSQL.

    python -m bench.fixture_cost [--tests 30] [--postgres URL] [--no-postgres]
"""
import argparse
import logging
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager

import flask_migrate
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from project import create_app
from project.blueprints.auth.models import User
from project.blueprints.teams.models import Membership
from project.extensions import db
from tests.auth.factories import UserFactory
from tests.tasks.factories import TaskFactory
from tests.databases import throwaway_database
from tests.transactions import rolled_back_session

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


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


@contextmanager
def migrations_fixture(app):
    flask_migrate.upgrade()
    try:
        yield
    finally:
        db.session.remove()
        flask_migrate.downgrade(revision="base")


def fixture_costs(app, fixture, count):
    """Seconds of set-up plus tear-down for each of `count` tests."""
    costs = []
    for number in range(count):
        test = TESTS[number % len(TESTS)]
        started = time.perf_counter()
        with fixture(app):
            body_started = time.perf_counter()
            test()
            body_ended = time.perf_counter()
        ended = time.perf_counter()
        costs.append((body_started - started) + (ended - body_ended))
    return costs


def measure_backend(label, server, count, workdir):
    results = {}
    for name, fixture in [("project", project_fixture), ("create_all", create_all_fixture),
                          ("migrations", migrations_fixture)]:
        with throwaway_database(workdir, server) as url:
            app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
            with app.app_context():
                built = time.perf_counter()
                if name == "project":
                    flask_migrate.upgrade()
                build_seconds = time.perf_counter() - built
                costs = fixture_costs(app, fixture, count)
                db.engine.dispose()
        results[name] = (statistics.mean(costs), build_seconds)
    report(label, results, count)
    return results["create_all"][0] / results["project"][0]


def report(label, results, count):
    baseline = results["project"][0]
    print(f"\n{label}: {count} tests each, fixture cost per test")
    for name, (mean, _) in results.items():
        print(f"  {name:<11} {mean * 1000:9.3f} ms   {mean / baseline:7.1f}x the project's")
    build = results["project"][1]
    print(f"  (the project's one-time migration of the schema: {build * 1000:.1f} ms, "
          f"{build / count * 1000:.3f} ms a test over {count})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", type=int, default=30, help="tests per strategy (default 30)")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="PostgreSQL server URL")
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    args = parser.parse_args()

    # Quiet Alembic: its INFO lines would drown the figures.
    logging.disable(logging.INFO)

    targets = [("SQLite file", "", 5)]
    if not args.no_postgres:
        targets.append(("PostgreSQL", args.postgres, 10))
    with tempfile.TemporaryDirectory() as workdir:
        for label, server, target in targets:
            try:
                ratio = measure_backend(label, server, args.tests, workdir)
            except OperationalError as error:
                reason = str(error.orig).strip().splitlines()[0]
                sys.exit(f"bench: cannot reach {label} at {server}: {reason} "
                         "(start it, pass --postgres URL, or --no-postgres)")
            verdict = "met" if ratio >= target else "NOT met"
            print(f"  target: create_all/drop_all at least {target}x the project's: {verdict} "
                  f"({ratio:.1f}x)")


if __name__ == "__main__":
    main()
