"""Tasks in the order people read them, read from an index on every backend.

A team's list: To do, Doing, Done; within each status, soonest due first,
undated last, then oldest first. As one ORDER BY it needs a CASE for the
statuses and `due_date IS NULL` for the undated (NULLs sort first on SQLite and
MariaDB, last on PostgreSQL), and no index serves either: the database would
sort every task of a team to show fifty of them.

So a team's list is read as its six runs, each status's dated tasks and then its
undated ones. Each run is a range of the index on (team_id, status, due_date, id)
(ix_tasks_team_id_status_due_date), read in that index's order and no further than
the page needs; only the rows read are sorted. A page costs the same for a team of
ten tasks or of ten thousand.

A user's open tasks (the home page) are read the same way from the index on
(assignee_id, status, due_date, id): four runs, To do and Doing, dated and
undated, merged by due date alone.

The statement, subqueries in a UNION, takes longer for Python to build than the
database takes to run it: it is built once for each combination of filters, with
every value (team, user, filters, page) a bound parameter.
"""
from functools import cache

from sqlalchemy import bindparam, func, literal_column, select, union_all
from sqlalchemy.orm import defer, joinedload

from project.blueprints.tasks.filters import criteria, parameters
from project.blueprints.tasks.models import OPEN_STATUSES, Status, Task
from project.extensions import db

# A team's runs in reading order: each status's dated tasks, then its undated ones.
TEAM_RUNS = [(status, dated) for status in Status for dated in (True, False)]


def of_team(filter_names):
    """The conditions on a task of the team `:team_id` that passes the filters named."""
    return [Task.team_id == bindparam("team_id"), *criteria(filter_names)]


def in_runs(runs, *options):
    """Rows `:offset` to `:offset + :limit` of the tasks of `runs` ([(rank, [condition])]),
    ordered by rank, then due date, then id; `:enough` is `:offset + :limit`.

    Each run is read in the order of an index whose columns end (due_date, id) after
    the ones its conditions fix, and no further than `:enough`: only the rows read are
    sorted. Every list leaves out the descriptions (a list that starts to show them
    raises, rather than reads each one on its own)."""
    selects = []
    for rank, conditions in runs:
        due = Task.due_date
        run = (
            select(Task.id, due, literal_column(str(rank)).label("rank"))
            .where(*conditions)
            # due_date first even where it is NULL: the index's own order, which the
            # database then reads without sorting (PostgreSQL sorts for ORDER BY id alone).
            .order_by(due, Task.id)
            .limit(bindparam("enough"))
        )
        # A subquery each: SQLite allows no ORDER BY or LIMIT on a UNION's own members.
        selects.append(select(run.subquery()))
    window = union_all(*selects).subquery()
    return (
        select(Task).join(window, Task.id == window.c.id)
        .options(defer(Task.description, raiseload=True), *options)
        .order_by(window.c.rank, window.c.due_date, window.c.id)
        .limit(bindparam("limit")).offset(bindparam("offset"))
    )


def dated_or_not(dated):
    return Task.due_date.is_not(None) if dated else Task.due_date.is_(None)


@cache
def reading_order(filter_names):
    """A team's filtered tasks in reading order, with their assignees (`:team_id`)."""
    return in_runs(
        [(rank, [*of_team(filter_names), Task.status == status, dated_or_not(dated)])
         for rank, (status, dated) in enumerate(TEAM_RUNS)],
        joinedload(Task.assignee),
    )


@cache
def assigned_open():
    """The open tasks assigned to `:assignee_id`, soonest due first, undated last, then
    oldest first, whatever their status, with their teams."""
    return in_runs(
        [(0 if dated else 1, [Task.assignee_id == bindparam("assignee_id"),
                              Task.status == status, dated_or_not(dated)])
         for status in OPEN_STATUSES for dated in (True, False)],
        joinedload(Task.team),
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


def read_assigned_open(user_id, limit, offset):
    """Rows `offset` to `offset + limit` of the open tasks assigned to the user `user_id`."""
    return db.session.scalars(assigned_open(), {
        "assignee_id": user_id, "limit": limit, "offset": offset, "enough": offset + limit,
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
