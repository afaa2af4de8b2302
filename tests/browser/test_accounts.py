"""Registering, logging in, and logging out from any page, in Chromium."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.actions import (
    add_task, create_team, log_in, log_out, register, sign_up, user_menu,
)


def test_a_new_person_registers_logs_in_and_out(page):
    page.goto("/")
    page.get_by_role("link", name="Register").first.click()
    person = register(page)
    expect(page.get_by_role("main")).to_contain_text("Check your inbox")

    log_in(page, person)
    expect(page).to_have_url(re.compile(r"/$"))
    # A new person is shown the next step, not an empty page.
    expect(page.get_by_role("link", name="Create a team")).to_be_visible()

    log_out(page)
    expect(user_menu(page)).to_have_count(0)
    page.goto("/tasks/")
    expect(page).to_have_url(re.compile(r"/auth/login"))


def test_a_wrong_password_is_refused_in_words(page):
    person = register(page)
    person.password = "not the password at all"
    page.goto("/auth/login")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password", exact=True).fill(person.password)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Invalid email or password.")
    expect(user_menu(page)).to_have_count(0)


# Every kind of page a logged-in person sees; each must offer the way out.
PAGES = {
    "home": lambda team, task: "/",
    "teams": lambda team, task: "/teams/",
    "team": lambda team, task: f"/teams/{team.slug}/",
    "team settings": lambda team, task: f"/teams/{team.slug}/settings",
    "tasks": lambda team, task: "/tasks/",
    "board": lambda team, task: team.board,
    "task": lambda team, task: task.path,
    "task form": lambda team, task: f"{task.path}/edit",
    "delete question": lambda team, task: f"{task.path}/delete",
    "account": lambda team, task: "/account/",
    "error page": lambda team, task: "/no/such/page",
}


# At a phone's width the menu is the same; a few pages show that it opens there too.
PHONE_PAGES = ["home", "board", "error page"]


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_log_out_from_every_page(open_page, width):
    page = open_page(width=width)
    person = sign_up(page)
    team = create_team(page)
    task = add_task(page, team)
    for name, path in PAGES.items():
        if width == PHONE and name not in PHONE_PAGES:
            continue
        page.goto(path(team, task))
        log_out(page)
        expect(user_menu(page), f"still logged in after logging out from the {name} page") \
            .to_have_count(0)
        log_in(page, person)
