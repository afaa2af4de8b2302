"""The main pages at a phone's width and a desktop's: no horizontal scroll, whatever the content.

These tests also take the README's pictures (`make screenshots` sets SCREENSHOTS_DIR):
the pages they show are the pages checked here.
"""
import pytest
from playwright.sync_api import expect

from tests.browser.actions import add_task, assert_fits_the_window, create_team, sign_up
from tests.browser.conftest import DESKTOP, PHONE

# One word longer than any screen: the kind that once made a page 51,000 px wide.
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 4
LONG_DESCRIPTION = (f"{LONG_WORD}\n" + "https://example.com/" + "a-long-path/" * 40 + "\n"
                    + "Words that wrap as words do. " * 40)

WIDTHS = pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])


def pages_of(team, task):
    return {
        "home": "/",
        "teams": "/teams/",
        "team": f"/teams/{team.slug}/",
        "team-settings": f"/teams/{team.slug}/settings",
        "tasks": "/tasks/",
        "board": team.board,
        "task": task.path,
        "task-form": f"{task.path}/edit",
        "delete-question": f"{task.path}/delete",
        "account": "/account/",
        "error": "/teams/no-such-team/",
    }


def a_garden_team(page):
    """A team with a few everyday tasks on every column of its board; (team, a task)."""
    person = sign_up(page, name="Alex Gardener")
    team = create_team(page, name="Community garden")
    tasks = [
        add_task(page, team, "Order seeds for spring", due_date="2031-02-01",
                 assignee=person.name, description="Tomatoes, beans, and marigolds.\n"
                 "Ask Sam which beans did well last year."),
        add_task(page, team, "Fix the shed door", due_date="2031-01-20"),
        add_task(page, team, "Plan the summer rota", assignee=person.name),
        add_task(page, team, "Clear the autumn leaves"),
    ]
    for task, status in [(tasks[1], "Doing"), (tasks[3], "Done")]:
        page.goto(task.path)
        page.get_by_role("button", name=f"Move to {status}").click()
    return team, tasks[0]


@WIDTHS
def test_the_main_pages_fit_the_window(open_page, picture, width):
    page = open_page(width=width)
    name = "desktop" if width == DESKTOP else "phone"
    page.goto("/")
    picture(page, f"welcome-{name}")
    team, task = a_garden_team(page)
    for page_name, path in pages_of(team, task).items():
        page.goto(path)
        expect(page.get_by_role("main")).to_be_visible()
        assert_fits_the_window(page)
        if page_name in ("home", "board", "task", "error"):
            picture(page, f"{page_name}-{name}")


def test_on_a_phone_the_board_shows_its_first_task_on_the_first_screen(open_page):
    page = open_page(width=PHONE)
    team, _ = a_garden_team(page)
    page.goto(team.board)
    first_card = page.locator(".card").first.bounding_box()
    assert first_card["y"] < page.viewport_size["height"], first_card
    # The filters are a tap away, and open once in use.
    page.get_by_text("Filter the tasks").click()
    page.get_by_label("Text").fill("seeds")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("Filter the tasks (1 in use)")).to_be_visible()
    expect(page.get_by_label("Text")).to_have_value("seeds")


@WIDTHS
def test_long_content_wraps_instead_of_widening_the_page(open_page, width):
    page = open_page(width=width)
    sign_up(page, name="N" + "o" * 63)
    team = create_team(page, name=LONG_WORD[:80])
    task = add_task(page, team, title=LONG_WORD[:200], description=LONG_DESCRIPTION,
                    due_date="2031-03-03")
    for page_name, path in pages_of(team, task).items():
        page.goto(path)
        assert_fits_the_window(page)
