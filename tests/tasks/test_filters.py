"""Every task list filters by status, assignee and text, and pages keep the filters."""
import pytest

from project.blueprints.tasks.models import Status
from tests.auth.factories import UserFactory
from tests.tasks.factories import TaskFactory
from tests.teams.factories import MembershipFactory, TeamFactory


@pytest.fixture
def team_of_three(login):
    me, grace = UserFactory(name="Ada"), UserFactory(name="Grace")
    team = TeamFactory(owner=me)
    TaskFactory(team=team, title="Mine to do", assignee=me, status=Status.TODO,
                description="Needs 100% care")
    TaskFactory(team=team, title="Grace doing", assignee=grace, status=Status.DOING,
                description="The COMPILER part")
    TaskFactory(team=team, title="Nobody done", assignee=None, status=Status.DONE,
                description="plain, and/or simple")
    login(me)
    return team, me, grace


TITLES = ("Mine to do", "Grace doing", "Nobody done")


def shown(page):
    return {title for title in TITLES if title in page}


@pytest.mark.parametrize("where", ["board", "all"])
@pytest.mark.parametrize("query, expected", [
    ("status=doing", {"Grace doing"}),
    ("assignee=me", {"Mine to do"}),
    ("assignee=nobody", {"Nobody done"}),
    ("q=compiler", {"Grace doing"}),       # any case, in the description
    ("q=100%25", {"Mine to do"}),          # a typed % is a percent sign, not a wildcard
    ("q=_", set()),
    ("q=and%2For", {"Nobody done"}),       # and a typed / is a slash
    ("q=%2Fand", set()),
    ("status=todo&assignee=me&q=mine", {"Mine to do"}),
    ("", set(TITLES)),
])
def test_filters_narrow_the_list(client, team_of_three, where, query, expected):
    team = team_of_three[0]
    path = f"/tasks/team/{team.slug}/" if where == "board" else "/tasks/"
    assert shown(client.get(f"{path}?{query}").text) == expected


def test_the_board_filters_by_a_member_of_the_team(client, team_of_three):
    team, me, grace = team_of_three
    page = client.get(f"/tasks/team/{team.slug}/").text
    assert f'<option value="{grace.id}">Grace</option>' in page
    assert shown(client.get(f"/tasks/team/{team.slug}/?assignee={grace.id}").text) == {
        "Grace doing"
    }


@pytest.mark.parametrize("query, error", [
    ("status=someday", "Choose a status from the list."),
    ("assignee=999999", "Choose an assignee from the list."),
    ("assignee=x%27", "Choose an assignee from the list."),
])
def test_a_filter_no_one_can_choose_is_named_and_left_out(client, team_of_three, query, error):
    team = team_of_three[0]
    response = client.get(f"/tasks/team/{team.slug}/?{query}")
    assert response.status_code == 200
    assert error in response.text and shown(response.text) == set(TITLES)


def test_a_list_without_filters_names_no_error(client, team_of_three):
    for path in ("/tasks/", f"/tasks/team/{team_of_three[0].slug}/"):
        page = client.get(path).text
        assert 'class="error"' not in page and 'aria-invalid' not in page, path
        assert '<option selected value="">Any status</option>' in page, path


@pytest.mark.parametrize("query, folded, summary", [
    ("", True, "Filter the tasks</summary>"),
    ("?status=doing&q=grace", False, "Filter the tasks (2 in use)</summary>"),
    ("?status=someday", False, "Filter the tasks</summary>"),   # refused: open to say why
])
def test_the_filters_stay_folded_until_used(client, team_of_three, query, folded, summary):
    page = client.get(f"/tasks/team/{team_of_three[0].slug}/{query}").text
    panel = page[page.index('<details class="filters-panel"'):]
    assert panel[:panel.index(">")].endswith("open") is not folded
    assert summary in panel


def test_no_match_says_so_and_offers_to_clear_the_filters(client, team_of_three):
    page = client.get("/tasks/?q=nothing-like-this").text
    assert 'id="no-match"' in page
    assert '<a href="/tasks/" id="clear-filters">' in page
    assert 'id="clear-filters"' not in client.get("/tasks/").text


def test_pages_keep_the_filters(client, login):
    team = TeamFactory()
    me = MembershipFactory(team=team).user
    TaskFactory.create_batch(51, team=team, assignee=None, status=Status.DOING, due_date=None)
    TaskFactory(team=team, assignee=None, status=Status.TODO)
    login(me)
    board = client.get(f"/tasks/team/{team.slug}/?status=doing").text
    assert f'rel="next" href="/tasks/team/{team.slug}/?page=2&amp;status=doing"' in board
    second = client.get(f"/tasks/team/{team.slug}/?page=2&status=doing").text
    assert second.count('class="task-link"') == 1


def test_the_teams_list_filters_by_name(client, login):
    me = UserFactory()
    TeamFactory(owner=me, name="Analytical Engines")
    TeamFactory(owner=me, name="Compilers")
    login(me)
    page = client.get("/teams/?q=engine").text
    assert "Analytical Engines" in page and "Compilers" not in page
    assert 'id="no-match"' in client.get("/teams/?q=zzz").text
