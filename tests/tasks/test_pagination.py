"""Long lists come a page at a time: 50 tasks, or 50 teams, with links to the next page;
tasks in the order people read them, from one page to the next."""
import datetime
import random
import re

import pytest

from project.blueprints.tasks.models import Status

from tests.auth.factories import UserFactory
from tests.tasks.factories import TaskFactory
from tests.teams.factories import MembershipFactory, TeamFactory


@pytest.fixture
def busy_team(login):
    team = TeamFactory()
    TaskFactory.create_batch(120, team=team, assignee=None, due_date=None)
    login(MembershipFactory(team=team).user)
    return team


def task_links(page):
    return page.count('class="task-link"')


def test_a_board_shows_fifty_tasks_a_page_with_next_and_previous(client, busy_team):
    board = f"/tasks/team/{busy_team.slug}/"
    first = client.get(board).text
    assert task_links(first) == 50
    assert f'rel="next" href="{board}?page=2"' in first and 'rel="prev"' not in first
    last = client.get(f"{board}?page=3").text
    assert task_links(last) == 20
    assert f'rel="prev" href="{board}?page=2"' in last and 'rel="next"' not in last


def test_the_tasks_page_is_paginated_across_teams(client, busy_team):
    page = client.get("/tasks/").text
    assert task_links(page) == 50 and 'rel="next" href="/tasks/?page=2"' in page


@pytest.mark.parametrize("number", ["0", "-1", "100001", "99999999999999999999"])
def test_a_page_number_out_of_range_is_not_found(client, busy_team, number):
    assert client.get(f"/tasks/?page={number}").status_code == 404


def test_the_teams_page_is_paginated(client, login):
    user = MembershipFactory(team=TeamFactory()).user
    for _ in range(50):
        MembershipFactory(user=user, team=TeamFactory())
    login(user)
    first = client.get("/teams/").text
    assert first.count("(member)") + first.count("(owner)") == 50
    assert 'rel="next" href="/teams/?page=2"' in first
    assert client.get("/teams/?page=2").text.count("(member)") == 1


def titles(page):
    return re.findall(r'class="task-link"[^>]*>([^<]+)</a>', page)


def in_reading_order(tasks):
    """To do, Doing, Done; soonest due first, undated last; then oldest first."""
    statuses = list(Status)
    return [task.title for task in sorted(tasks, key=lambda task: (
        statuses.index(task.status), task.due_date is None, task.due_date or datetime.date.min,
        task.id))]


def mixed_tasks(team, count, seed):
    """`count` tasks of `team` in every status, dated and undated, several due the same day,
    created in an order unrelated to the reading order."""
    chance = random.Random(seed)
    days = [None] + [datetime.date(2026, 12, day) for day in range(1, 6)]
    return [TaskFactory(team=team, assignee=None, title=f"{team.name} task {number}",
                        status=chance.choice(list(Status)), due_date=chance.choice(days))
            for number in range(count)]


def test_a_board_reads_in_order_across_its_pages(client, login):
    team = TeamFactory()
    tasks = mixed_tasks(team, 120, seed=1)
    login(MembershipFactory(team=team).user)
    shown = [title for number in (1, 2, 3)
             for title in titles(client.get(f"/tasks/team/{team.slug}/?page={number}").text)]
    assert shown == in_reading_order(tasks)


def test_the_tasks_page_reads_team_after_team_across_its_pages(client, login):
    user = UserFactory()
    # Created in the other order than their names: the page goes by name.
    later, earlier = TeamFactory(name="Beta"), TeamFactory(name="Alpha")
    for team in (later, earlier):
        MembershipFactory(team=team, user=user)
    empty = TeamFactory(name="Aardvark")  # a team with no task takes no place on a page
    MembershipFactory(team=empty, user=user)
    alpha, beta = mixed_tasks(earlier, 70, seed=2), mixed_tasks(later, 40, seed=3)
    login(user)
    pages = [client.get(f"/tasks/?page={number}").text for number in (1, 2, 3)]
    assert [title for page in pages for title in titles(page)] == (
        in_reading_order(alpha) + in_reading_order(beta))
    # Page 2 starts inside Alpha and goes on into Beta, each under its own heading.
    assert pages[1].count('class="team-tasks"') == 2
    assert 'rel="next"' not in pages[2]
