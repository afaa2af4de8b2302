"""Real Chromium against a live gunicorn, used as a person uses the app.

- Debian's Chromium (/usr/bin/chromium, or $CHROMIUM), driven by Playwright. Without
  it every test here is skipped, and the skip says how to install it.
- One browser per test session (per xdist worker); a context of its own (cookies,
  window width, JavaScript on or off) for every page a test opens.
- The server is gunicorn on the production configuration (tests/browser/live_app.py),
  on a throw-away database built by the migrations on the backend TEST_DATABASE_URL
  names. The session's tests share it, so each test registers its own people and teams.
- A failing test leaves a screenshot of every page it had open in test-results/browser/,
  and its report says where.
- With SCREENSHOTS_DIR set, the tests that visit the main pages save pictures of them
  there: `make screenshots` makes the README's that way.
"""
import os
import re
from pathlib import Path

import flask_migrate
import pytest
from playwright.sync_api import Error as PlaywrightError

from project import create_app
from project.extensions import db
from tests.cli import REPO_ROOT
from tests.databases import throwaway_database
from tests.mail import Mailbox
from tests.server import live_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
HERE = Path(__file__).parent
FAILURE_SCREENSHOTS = REPO_ROOT / "test-results" / "browser"
APP_SPEC = "tests.browser.live_app:create_app()"

DESKTOP = 1280
PHONE = 375
WINDOW_HEIGHTS = {DESKTOP: 800, PHONE: 812}


def chromium_missing():
    """Why the browser tests cannot run here, or None when they can."""
    if os.access(CHROMIUM, os.X_OK):
        return None
    return (f"Chromium is not installed at {CHROMIUM}, so the browser tests did not run: "
            "install it with `apt-get install chromium chromium-driver` (Debian), "
            "or set CHROMIUM to its path")


def pytest_collection_modifyitems(config, items):
    # A collection hook sees every item of the session: only ours are marked here.
    reason = chromium_missing()
    if reason and os.environ.get("CI") and any(HERE in item.path.parents for item in items):
        # .ci/run installs Chromium: there, a missing browser is a broken CI, not a skip.
        raise pytest.UsageError(reason)
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """pytest-playwright's launch: the system's Chromium, never a download of Playwright's."""
    return {"executable_path": CHROMIUM}


def live_server_settings(mail_directory, **settings):
    """What the production configuration needs to run on this machine without services."""
    return {
        "MAIL_BACKEND": "file",
        "MAIL_FILE_PATH": str(mail_directory),
        "RATELIMIT_STORAGE_URI": "memory://",
        # The tests register and log in many people from one address within a minute;
        # the throttling test starts a server of its own with a small limit.
        "LOGIN_LIMITS": "100000 per minute",
        # Threads: Chromium opens connections ahead of need, and a sync worker waits on
        # an idle one while the request that matters queues behind it.
        "GUNICORN_CMD_ARGS": "--threads 4",
        **settings,
    }


def migrate(database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_database(tmp_path_factory):
    with throwaway_database(tmp_path_factory.mktemp("browser-databases")) as url:
        migrate(url)
        yield url


@pytest.fixture(scope="session")
def live_mailbox(tmp_path_factory):
    """The mail the live server sent, read back (the in-process tests empty theirs)."""
    return Mailbox(tmp_path_factory.mktemp("browser-mail"))


@pytest.fixture(scope="session")
def start_server(live_database, live_mailbox):
    """start_server(workers=..., **settings): a context manager yielding a server's base URL."""

    def start(workers=2, **settings):
        return live_server(live_database, workers=workers, app_spec=APP_SPEC,
                           settings=live_server_settings(live_mailbox.directory, **settings))

    return start


@pytest.fixture(scope="session")
def base_url(start_server):
    """The live server every test's pages open (pytest-base-url's fixture, overridden)."""
    with start_server() as base:
        yield base


@pytest.fixture
def open_page(browser, base_url, request):
    """open_page(width=DESKTOP, javascript=True, url=base_url): a page in a new context."""
    contexts = []
    request.node.browser_pages = []

    def open_(width=DESKTOP, javascript=True, url=None):
        context = browser.new_context(
            base_url=url or base_url, java_script_enabled=javascript,
            viewport={"width": width, "height": WINDOW_HEIGHTS.get(width, 800)},
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        request.node.browser_pages.append(page)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    """A desktop-wide page with JavaScript on (pytest-playwright's fixture, overridden)."""
    return open_page()


@pytest.fixture
def picture():
    """picture(page, name): save what the page shows as SCREENSHOTS_DIR/name.png, when set."""
    directory = os.environ.get("SCREENSHOTS_DIR")

    def take(page, name):
        if directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=Path(directory) / f"{name}.png")

    return take


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        saved = save_failure_screenshots(item)
        if saved:
            report.sections.append(("browser screenshots", "\n".join(saved)))


def save_failure_screenshots(item):
    """A screenshot of each page the test had open, while they are still open; their paths."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", item.nodeid).strip("-")
    saved = []
    for number, page in enumerate(getattr(item, "browser_pages", []), start=1):
        path = FAILURE_SCREENSHOTS / f"{name}-page{number}.png"
        try:
            page.screenshot(path=path, full_page=True)
        except PlaywrightError as error:
            saved.append(f"page {number} ({page.url}): no screenshot, {error.message}")
        else:
            saved.append(f"page {number} ({page.url}): saved to {path}")
    return saved
