"""The board: a column per status, buttons that move a task without JavaScript, drag and drop
as an enhancement that sends the same form, and new tasks from the board and from /tasks/."""
import re

from sqlalchemy import select

from project.blueprints.tasks.models import Status, Task
from tests.auth.factories import UserFactory
from tests.tasks.factories import TaskFactory
from tests.teams.factories import MembershipFactory, TeamFactory


def test_each_card_moves_with_a_plain_form_carrying_the_csrf_token(client, login):
    task = TaskFactory(status=Status.TODO)
    login(task.assignee)
    page = client.get(f"/tasks/team/{task.team.slug}/").text
    card = page[page.index(f'id="task-{task.id}"'):]
    card = card[:card.index("</li>")]
    form = re.search(rf'<form method="post" action="/tasks/{task.id}/move" [^>]*>(.*?)</form>',
                     card, re.DOTALL).group(1)
    assert re.search(r'<input name="csrf_token" type="hidden" value="[^"]+">', form)
    # A button per other status, each sending its own.
    assert re.findall(r'<button type="submit" [^>]*name="status" value="(\w+)">', form) == [
        "doing", "done"]
    assert 'draggable="true"' in card and f'data-task-id="{task.id}"' in card


def test_the_drag_and_drop_script_is_a_file_that_submits_the_cards_own_form(client, login):
    task = TaskFactory()
    login(task.assignee)
    page = client.get(f"/tasks/team/{task.team.slug}/").text
    assert '<script src="/static/board.js" defer></script>' in page
    with client.get("/static/board.js") as script:
        assert script.status_code == 200
        # The same POST the buttons send: no request of its own, no token of its own.
        assert "button.click()" in script.text and "fetch(" not in script.text


def test_a_move_by_button_lands_the_task_in_its_new_column(client, login, post_form):
    task = TaskFactory(status=Status.TODO, title="Carry me")
    login(task.assignee)
    board = f"/tasks/team/{task.team.slug}/"
    response = post_form(f"/tasks/{task.id}/move", {"status": "done"}, page=board)
    page = client.get(response.headers["Location"]).text
    done = page[page.index('id="column-done"'):]
    assert "Carry me" in done[:done.index("</section>")]
    assert "Task “Carry me” moved to Done." in page


def test_a_move_from_a_filtered_board_returns_to_the_same_filtered_board(
        client, login, post_form):
    task = TaskFactory(status=Status.TODO, title="Carry me")
    login(task.assignee)
    filtered = f"/tasks/team/{task.team.slug}/?q=Carry"
    page = client.get(filtered).text
    card = page[page.index(f'id="task-{task.id}"'):]
    back = re.search(r'name="next" value="([^"]+)"', card).group(1).replace("&amp;", "&")
    response = post_form(f"/tasks/{task.id}/move", {"status": "done", "next": back},
                         page=filtered)
    assert response.headers["Location"] == filtered


def test_a_new_task_from_a_column_starts_in_that_status(client, login):
    team = TeamFactory()
    login(MembershipFactory(team=team).user)
    board = client.get(f"/tasks/team/{team.slug}/").text
    assert f'href="/tasks/team/{team.slug}/new?status=doing"' in board
    form = client.get(f"/tasks/team/{team.slug}/new?status=doing").text
    assert '<option selected value="doing">Doing</option>' in form


def test_new_task_from_the_tasks_page_with_one_team_goes_straight_to_its_form(client, login):
    membership = MembershipFactory()
    login(membership.user)
    assert 'id="new-task"' in client.get("/tasks/").text
    response = client.get("/tasks/new")
    assert response.headers["Location"] == f"/tasks/team/{membership.team.slug}/new"


def test_new_task_from_the_tasks_page_asks_which_team(client, login, post_form, db_session):
    me = UserFactory()
    first = TeamFactory(owner=me, name="Blue", slug="blue")
    TeamFactory(owner=me, name="Blue", slug="blue-2")
    TeamFactory(name="Not mine", slug="not-mine")
    login(me)
    page = client.get("/tasks/new").text
    # Two teams of one name, told apart by their slugs; nobody else's team.
    assert '<option value="blue">Blue (blue)</option>' in page
    assert '<option value="blue-2">Blue (blue-2)</option>' in page
    assert "not-mine" not in page
    chosen = post_form("/tasks/new", {"team": "blue"})
    assert chosen.headers["Location"] == f"/tasks/team/{first.slug}/new"
    refused = post_form("/tasks/new", {"team": "not-mine"})
    assert refused.status_code == 200 and "Choose one of your teams." in refused.text


def test_new_task_without_a_team_says_to_make_or_join_one(client, login):
    login(UserFactory())
    page = client.get("/tasks/new").text
    assert 'id="no-teams"' in page and 'href="/teams/new"' in page
    assert 'id="no-teams"' in client.get("/tasks/").text


def test_every_field_of_the_task_form_has_a_label(client, login):
    team = TeamFactory()
    login(MembershipFactory(team=team).user)
    page = client.get(f"/tasks/team/{team.slug}/new").text
    for field in ("title", "description", "status", "assignee_id", "due_date"):
        assert f'<label for="{field}">' in page, field
    # The browser's date picker offers only the dates the server accepts.
    assert 'max="2999-12-31" min="1900-01-01"' in page


def test_the_cancel_link_of_a_new_task_goes_back_to_the_board(client, login, db_session):
    team = TeamFactory()
    login(MembershipFactory(team=team).user)
    page = client.get(f"/tasks/team/{team.slug}/new").text
    assert f'<a href="/tasks/team/{team.slug}/" class="secondary" role="button" ' \
           'data-action="cancel">Cancel</a>' in page
    assert db_session.scalar(select(Task)) is None
