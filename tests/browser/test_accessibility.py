"""axe-core on the main pages: no serious or critical violation.

axe-core comes inside the axe-playwright-python package and is injected into each
page; nothing is fetched. Moderate and minor findings are left to review.
"""
import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.actions import add_task, create_team, sign_up

BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe():
    return Axe()


def blocking_violations(axe, page):
    results = axe.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


def assert_accessible(axe, page, path):
    page.goto(path)
    found = blocking_violations(axe, page)
    assert not found, f"{path}:\n" + "\n".join(found)


@pytest.mark.parametrize("path", ["/", "/auth/login", "/auth/register", "/auth/forgot",
                                  "/no/such/page"])
def test_pages_for_visitors(page, axe, path):
    assert_accessible(axe, page, path)


def test_pages_for_members(page, axe):
    person = sign_up(page)
    team = create_team(page)
    task = add_task(page, team, description="Two lines\nof description.",
                    due_date="2031-05-05", assignee=person.name)
    add_task(page, team)
    for path in ["/", "/teams/", "/teams/new", f"/teams/{team.slug}/",
                 f"/teams/{team.slug}/settings", "/tasks/", "/tasks/?status=done",
                 team.board, task.path, f"{task.path}/edit", f"{task.path}/delete",
                 f"/tasks/team/{team.slug}/new", "/account/", "/teams/no-such-team/"]:
        assert_accessible(axe, page, path)
