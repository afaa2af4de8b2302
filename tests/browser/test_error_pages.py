"""Every error page a person can meet, reached as they would reach it, in the site's layout.

Each is checked for its status, its words, the site's navigation, and a way back.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.actions import add_task, create_team, log_in, sign_up, unique
from tests.browser.live_app import FAILING_PATH


def assert_error_page(page, response, status, words):
    assert response.status == status, f"{page.url} answered {response.status}, not {status}"
    error = page.locator("#error")
    expect(error.get_by_role("heading", level=1)).to_contain_text(str(status))
    expect(error).to_contain_text(words)
    # In the layout: the site's navigation, and a link home.
    expect(page.get_by_role("navigation", name="Site")).to_be_visible()
    expect(page.locator("a", has_text=re.compile("home page", re.I))).to_be_visible()


def test_400_for_an_address_no_page_can_use(page):
    sign_up(page)
    response = page.goto("/tasks/?q=%00")
    assert_error_page(page, response, 400, "NUL")


def test_403_for_an_invitation_sent_to_someone_else(page, live_mailbox):
    sign_up(page)
    create_team(page)
    invited = f"{unique('friend').replace(' ', '-')}@example.com"
    page.get_by_label(re.compile("Email of the person")).fill(invited)
    page.get_by_role("button", name=re.compile("invitation", re.I)).click()
    expect(page.get_by_role("status")).to_contain_text(invited)

    # The inviter follows the link meant for the friend.
    [invitation] = [message for message in live_mailbox.messages() if message["To"] == invited]
    response = page.goto(live_mailbox.link_in(invitation))
    assert_error_page(page, response, 403, "sent to another address")


def test_404_for_an_address_with_nothing(page):
    response = page.goto("/no/such/page")
    assert_error_page(page, response, 404, "nothing here")


def test_405_for_a_link_to_an_action(page):
    sign_up(page)
    # Logging out is a button (a POST); a link to it is refused.
    response = page.goto("/auth/logout")
    assert_error_page(page, response, 405, "not possible")


def test_409_when_someone_saved_the_task_meanwhile(open_page):
    first = open_page()
    person = sign_up(first)
    team = create_team(first)
    task = add_task(first, team)
    second = open_page()
    log_in(second, person)

    for page in (first, second):
        page.goto(f"{task.path}/edit")
    first.get_by_label("Title").fill(task.title + " (first)")
    first.get_by_role("button", name="Save task").click()
    expect(first.get_by_role("status")).to_contain_text("saved")

    second.get_by_label("Title").fill(task.title + " (second)")
    with second.expect_response(lambda r: r.request.method == "POST") as answer:
        second.get_by_role("button", name="Save task").click()
    assert answer.value.status == 409
    # The form comes back with what was typed, beside what was saved meanwhile.
    expect(second.get_by_role("alert").first).to_contain_text("Someone else saved this task")
    expect(second.get_by_label("Title")).to_have_value(task.title + " (second)")
    expect(second.get_by_role("navigation", name="Site")).to_be_visible()


def test_413_for_a_form_too_large(page):
    sign_up(page)
    team = create_team(page)
    page.goto(team.board)
    page.get_by_text("New task", exact=True).click()
    page.get_by_label("Title").fill(unique("Too long"))
    # More than the 1 MiB a request may carry, typed in (a paste would do the same).
    page.get_by_label("Description").evaluate("(field) => field.value = 'x'.repeat(1100000)")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Add task").click()
    page.wait_for_load_state()
    assert_error_page(page, answer.value, 413, "too large")


def test_429_after_too_many_wrong_passwords(open_page, start_server):
    # A server of its own, with a small limit: the shared one must not throttle other tests.
    with start_server(workers=1, LOGIN_LIMITS="2 per day") as base:
        page = open_page(url=base)
        email = f"{unique('guesser').replace(' ', '-')}@example.com"
        for _ in range(2):
            page.goto("/auth/login")
            page.get_by_label("Email").fill(email)
            page.get_by_label("Password", exact=True).fill("a wrong guess, surely")
            page.get_by_role("main").get_by_role("button", name="Log in").click()
            expect(page.get_by_role("alert")).to_have_text("Invalid email or password.")
        page.get_by_label("Password", exact=True).fill("one guess too many")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("main").get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        assert_error_page(page, answer.value, 429, "Too many attempts")


@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "member"])
def test_500_when_the_app_fails(page, logged_in):
    if logged_in:
        sign_up(page)
    response = page.goto(FAILING_PATH)
    assert_error_page(page, response, 500, "")
    # The page says what happened in words, never a traceback.
    expect(page.get_by_role("main")).not_to_contain_text("Traceback")
    expect(page.get_by_role("main")).not_to_contain_text("DeliberateFailure")
