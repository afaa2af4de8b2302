"""Tasks in the order people read them, read from an index on every backend.

The order: To do, Doing, Done; within each status, soonest due first, undated
last, then oldest first. As one ORDER BY it needs a CASE for the statuses and
`due_date IS NULL` for the undated (NULLs sort first on SQLite and MariaDB, last on
PostgreSQL), and no index serves either: the database would sort every task of a
team to show fifty of them.

So a team's list is read as its six runs, each status's dated tasks and then its
undated ones. Each run is a range of the index on (team_id, status, due_date, id)
(ix_tasks_team_id_status_due_date), read in that index's order and no further than
the page needs; only the rows read are sorted. A page costs the same for a team of
ten tasks or of ten thousand.
"""
from sqlalchemy import func, literal_column, select, union_all
from sqlalchemy.orm import joinedload

from project.blueprints.tasks.models import Status, Task
from project.extensions import db

RUNS = [(status, dated) for status in Status for dated in (True, False)]


def in_reading_order(tasks, limit, offset=0):
    """A select of the rows `offset` to `offset + limit` of `tasks` (a select of one team's
    tasks, possibly filtered) in reading order, with their assignees."""
    enough = offset + limit
    runs = []
    for position, (status, dated) in enumerate(RUNS):
        run = tasks.where(Task.status == status)
        if dated:
            run = run.where(Task.due_date.is_not(None)).order_by(Task.due_date, Task.id)
        else:
            run = run.where(Task.due_date.is_(None)).order_by(Task.id)
        run = run.with_only_columns(
            Task.id, Task.due_date, literal_column(str(position)).label("run")
        ).limit(enough)
        # A subquery each: SQLite allows no ORDER BY or LIMIT on a UNION's own members.
        runs.append(select(run.subquery()))
    window = union_all(*runs).subquery()
    return (
        select(Task).join(window, Task.id == window.c.id)
        .options(joinedload(Task.assignee))
        .order_by(window.c.run, window.c.due_date, window.c.id)
        .limit(limit).offset(offset)
    )


def read_across_teams(teams, tasks_of, limit, offset):
    """Rows `offset` to `offset + limit` of the tasks of `teams`, team after team, each
    team's in reading order; `tasks_of(team)` selects a team's tasks.

    A team's tasks are read only if the page reaches them; a team before the page is
    counted, up to `offset` of its tasks, to know how many it holds before the page.
    """
    rows = []
    for team in teams:
        if len(rows) == limit:
            break
        tasks = tasks_of(team)
        if offset:
            before = db.session.scalar(select(func.count()).select_from(
                tasks.with_only_columns(Task.id).limit(offset).subquery()
            ))
            if before < offset:
                offset -= before
                continue
        rows += db.session.scalars(in_reading_order(tasks, limit - len(rows), offset)).all()
        offset = 0
    return rows
