"""What a person does in the app, one step at a time, for the browser tests to build on.

Fields are found by their labels and buttons by their words, as a person (or a
screen reader) finds them; ids only where the page has nothing else to tell two
things apart.
"""
import re
import uuid
from dataclasses import dataclass

from playwright.sync_api import expect

from tests.auth.factories import DEFAULT_PASSWORD


def unique(word):
    """`word` and a random suffix: the live database is shared by the session's tests."""
    return f"{word} {uuid.uuid4().hex[:8]}"


@dataclass
class Person:
    name: str
    email: str
    password: str = DEFAULT_PASSWORD


@dataclass
class Team:
    name: str
    slug: str

    @property
    def board(self):
        return f"/tasks/team/{self.slug}/"


@dataclass
class Task:
    title: str
    id: int

    @property
    def path(self):
        return f"/tasks/{self.id}"


def register(page, name=None):
    """Create an account through the registration form; the new Person."""
    person = Person(name or unique("Robin"), f"{uuid.uuid4().hex[:12]}@example.com")
    page.goto("/auth/register")
    page.get_by_label("Name").fill(person.name)
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password", exact=True).fill(person.password)
    page.get_by_label("Repeat password").fill(person.password)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/auth/registered$"))
    return person


def log_in(page, person):
    page.goto("/auth/login")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password", exact=True).fill(person.password)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(user_menu(page)).to_contain_text(person.name)


def sign_up(page, name=None):
    """Register and log in: the Person."""
    person = register(page, name)
    log_in(page, person)
    return person


def user_menu(page):
    return page.locator("#user-menu")


def log_out(page):
    """Log out with the button in the user's menu, opening the menu first if it is shut."""
    button = page.get_by_role("navigation", name="Site").get_by_role("button", name="Log out")
    if not button.is_visible():
        user_menu(page).locator("summary").click()
    button.click()
    expect(page.get_by_role("status").filter(has_text="You have been logged out")).to_be_visible()


def create_team(page, name=None):
    name = name or unique("Gardeners")
    page.goto("/teams/new")
    page.get_by_label("Team name").fill(name)
    page.get_by_role("button", name="Create team").click()
    expect(page).to_have_url(re.compile(r"/teams/[^/]+/$"))
    slug = re.search(r"/teams/([^/]+)/$", page.url).group(1)
    return Team(name, slug)


def add_task(page, team, title=None, description=None, due_date=None, assignee=None):
    """Add a task from the team's board with its "New task" link; the Task."""
    title = title or unique("Water the tomatoes")
    page.goto(team.board)
    page.get_by_text("New task", exact=True).click()
    page.get_by_label("Title").fill(title)
    if description is not None:
        page.get_by_label("Description").fill(description)
    if due_date is not None:
        page.get_by_label("Due date").fill(due_date)
    if assignee is not None:
        page.get_by_label("Assignee").select_option(label=assignee)
    page.get_by_role("button", name="Add task").click()
    expect(page).to_have_url(re.compile(re.escape(team.board) + "$"))
    return Task(title, task_id_on_board(page, title))


def card(page, task):
    return page.locator(f"#task-{task.id}")


def column(page, status_label):
    """A column of the board, by the words of its heading."""
    return page.locator(".board-column").filter(
        has=page.get_by_role("heading", name=re.compile("^" + re.escape(status_label)))
    )


def task_id_on_board(page, title):
    link = page.locator("#board").get_by_role("link", name=title, exact=True)
    return int(re.search(r"/tasks/(\d+)$", link.get_attribute("href")).group(1))


def assert_fits_the_window(page):
    """No horizontal scroll: the document is no wider than the window it is shown in."""
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll_width <= client_width, (
        f"{page.url} is {scroll_width} px wide in a window {client_width} px wide"
    )
