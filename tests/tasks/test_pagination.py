"""Long lists come a page at a time: 50 tasks, or 50 teams, with links to the next page."""
import pytest

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
