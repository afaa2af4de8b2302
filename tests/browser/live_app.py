"""The app the browser tests serve: production's, plus one page that fails.

Nothing a person can do makes this app answer 500, which is how it should be; the
tests still need to see the page a person would get when something does go wrong.
So the route that raises exists here, in the tests' own factory, and never in the
project's. gunicorn serves it as `tests.browser.live_app:create_app()`.
"""
from project import create_app as create_project_app

FAILING_PATH = "/testing/fails"


class DeliberateFailure(RuntimeError):
    """Raised by the failing page, so the server's log says the failure was asked for."""


def fail():
    raise DeliberateFailure("the browser tests asked this page to fail")


def create_app():
    app = create_project_app("production")
    app.add_url_rule(FAILING_PATH, "testing_fails", fail)
    return app
