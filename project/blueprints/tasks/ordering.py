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

The statement, six subqueries in a UNION, takes longer for Python to build than the
database takes to run it: it is built once for each combination of filters, with
every value (team, filters, page) a bound parameter.
"""
from functools import cache

from sqlalchemy import bindparam, func, literal_column, select, union_all
from sqlalchemy.orm import defer, joinedload

from project.blueprints.tasks.filters import criteria, parameters
from project.blueprints.tasks.models import Status, Task
from project.extensions import db

RUNS = [(status, dated) for status in Status for dated in (True, False)]


def of_team(filter_names):
    """The conditions on a task of the team `:team_id` that passes the filters named."""
    return [Task.team_id == bindparam("team_id"), *criteria(filter_names)]


@cache
def reading_order(filter_names):
    """The rows `:offset` to `:offset + :limit` of a team's filtered tasks in reading order,
    with their assignees and without their descriptions, which no list shows (a list that
    starts to would raise, rather than read each one on its own); `:enough` is
    `:offset + :limit`."""
    runs = []
    for position, (status, dated) in enumerate(RUNS):
        due = Task.due_date
        run = (
            select(Task.id, due, literal_column(str(position)).label("run"))
            .where(*of_team(filter_names), Task.status == status,
                   due.is_not(None) if dated else due.is_(None))
            # due_date first even where it is NULL: the index's own order, which the
            # database then reads without sorting (PostgreSQL sorts for ORDER BY id alone).
            .order_by(due, Task.id)
            .limit(bindparam("enough"))
        )
        # A subquery each: SQLite allows no ORDER BY or LIMIT on a UNION's own members.
        runs.append(select(run.subquery()))
    window = union_all(*runs).subquery()
    return (
        select(Task).join(window, Task.id == window.c.id)
        .options(joinedload(Task.assignee), defer(Task.description, raiseload=True))
        .order_by(window.c.run, window.c.due_date, window.c.id)
        .limit(bindparam("limit")).offset(bindparam("offset"))
    )


@cache
def counted_up_to(filter_names):
    """How many of a team's filtered tasks there are, counting no further than `:most`."""
    return select(func.count()).select_from(
        select(Task.id).where(*of_team(filter_names)).limit(bindparam("most")).subquery()
    )


def read_team(team_id, filters, limit, offset):
    """Rows `offset` to `offset + limit` of the tasks of a team that pass `filters`
    (active_filters()), in reading order."""
    return db.session.scalars(reading_order(frozenset(filters)), {
        "team_id": team_id, "limit": limit, "offset": offset, "enough": offset + limit,
        **parameters(filters),
    }).all()


def read_across_teams(teams, filters, limit, offset):
    """Rows `offset` to `offset + limit` of the tasks of `teams` that pass `filters`, team
    after team, each team's in reading order.

    A team's tasks are read only if the page reaches them; a team before the page is
    counted, up to `offset` of its tasks, to know how many it holds before the page.
    """
    rows = []
    for team in teams:
        if len(rows) == limit:
            break
        if offset:
            before = db.session.scalar(counted_up_to(frozenset(filters)), {
                "team_id": team.id, "most": offset, **parameters(filters)})
            if before < offset:
                offset -= before
                continue
        rows += read_team(team.id, filters, limit - len(rows), offset)
        offset = 0
    return rows
