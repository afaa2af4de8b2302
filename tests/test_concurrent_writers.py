"""Many people saving at once, through a live 4-worker gunicorn: every save succeeds.

On SQLite this is what WAL, the busy timeout and BEGIN IMMEDIATE are for: without
them, a good part of these saves answered 500 "database is locked".
"""
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from tests.databases import throwaway_database
from tests.server import browser, csrf_token, live_server, log_in, seed_a_team

WRITERS = 8
SAVES_EACH = 25


def save_tasks(base, email, slug):
    """Log in, then add SAVES_EACH tasks as fast as the server answers; return the statuses."""
    with browser(base) as client:
        log_in(client, email)
        token = csrf_token(client, f"/tasks/team/{slug}/new")
        statuses = []
        for number in range(SAVES_EACH):
            response = client.post(f"/tasks/team/{slug}/new", data={
                "csrf_token": token, "title": f"{email} {number}", "status": "todo",
            })
            statuses.append(response.status_code)
        return statuses


def test_two_hundred_concurrent_saves_all_succeed(tmp_path):
    with throwaway_database(tmp_path) as url:
        slug, emails = seed_a_team(url, members=WRITERS)
        with live_server(url, workers=4) as base:
            with ThreadPoolExecutor(WRITERS) as pool:
                results = list(pool.map(lambda email: save_tasks(base, email, slug), emails))
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            saved = connection.execute(sa.text("SELECT count(*) FROM tasks")).scalar()
        engine.dispose()

    statuses = [status for result in results for status in result]
    assert len(statuses) == WRITERS * SAVES_EACH
    assert {status: statuses.count(status) for status in set(statuses)} == {302: len(statuses)}
    assert saved == WRITERS * SAVES_EACH
