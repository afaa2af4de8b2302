"""Every page has the site's layout: navigation, the user's menu with logout, messages, a footer;
one stylesheet system served by the app itself; no inline script or style (the CSP forbids it)."""
import re

import pytest

from tests.auth.factories import UserFactory
from tests.conftest import CSRF_INPUT
from tests.tasks.factories import TaskFactory

LOGOUT_FORM = re.compile(
    r'<form method="post" action="/auth/logout" id="logout-form">\s*'
    r'<input name="csrf_token" type="hidden" value="[^"]+">'
)


@pytest.fixture
def member_pages(login):
    """The main pages of a logged-in member of a team with a task."""
    task = TaskFactory()
    login(task.assignee)
    slug = task.team.slug
    return ["/", "/teams/", "/teams/new", f"/teams/{slug}/", f"/teams/{slug}/settings",
            "/tasks/", f"/tasks/team/{slug}/", f"/tasks/team/{slug}/new",
            f"/tasks/{task.id}", f"/tasks/{task.id}/edit", f"/tasks/{task.id}/delete",
            "/account/", "/no/such/page"]


def test_every_page_has_the_navigation_the_user_menu_and_a_logout_button(client, member_pages):
    for path in member_pages:
        page = client.get(path).text
        for landmark in ('id="site-nav"', 'href="/teams/"', 'href="/tasks/"', 'id="user-menu"',
                         'id="site-footer"'):
            assert landmark in page, (path, landmark)
        assert LOGOUT_FORM.search(page), path


def test_logout_works_from_any_page(client, member_pages):
    page = client.get(member_pages[-3]).text
    token = CSRF_INPUT.search(page).group(1)
    response = client.post("/auth/logout", data={"csrf_token": token})
    assert response.headers["Location"] == "/"
    assert "You have been logged out." in client.get("/").text
    assert client.get("/tasks/").headers["Location"].startswith("/auth/login")


def test_a_visitor_sees_log_in_and_register_in_the_navigation(client):
    page = client.get("/auth/login").text
    assert 'id="nav-login"' in page and 'id="nav-register"' in page
    assert 'id="user-menu"' not in page


def test_messages_show_on_the_next_page(client, login, post_form):
    login(UserFactory())
    response = post_form("/teams/new", {"name": "Analytical Engines"})
    page = client.get(response.headers["Location"]).text
    assert '<section id="flashes"' in page and "Team Analytical Engines created." in page


def test_styles_and_scripts_come_from_the_app_itself_never_inline(client, member_pages):
    for path in member_pages:
        page = client.get(path).text
        assert "<style" not in page and " style=" not in page, path
        for tag in re.findall(r"<script[^>]*>", page):
            assert re.search(r'src="/static/[^"]+\.js"', tag), (path, tag)
        for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', page):
            assert href.startswith("/static/"), (path, href)


def static_file(client, path):
    """The text of a file the app serves (closed after reading, as a browser would)."""
    with client.get(path) as response:
        assert response.status_code == 200, path
        return response.text


def test_the_vendored_stylesheet_is_served_with_its_licence(client):
    assert "Pico CSS" in static_file(client, "/static/vendor/pico/pico.min.css")
    assert "MIT" in static_file(client, "/static/vendor/pico/LICENSE.md")
    # Nothing fetched from elsewhere: the stylesheets name no other host.
    for path in ("/static/vendor/pico/pico.min.css", "/static/site.css"):
        assert not re.search(r"url\((['\"]?)https?:", static_file(client, path)), path


def test_long_words_wrap_and_descriptions_keep_their_line_breaks(client):
    css = static_file(client, "/static/site.css")
    assert "overflow-wrap: anywhere" in css
    assert re.search(r"\.description \{ white-space: pre-wrap; \}", css)
    assert re.search(r"\.table-scroll \{[^}]*overflow-x: auto", css)
    assert ":focus-visible" in css
