"""Teams, tasks and the board, in Chromium: with JavaScript, and without it."""
import re

from playwright.sync_api import expect

from tests.browser.actions import add_task, card, column, create_team, sign_up, unique


def test_create_a_team_and_a_task(page):
    sign_up(page)
    team = create_team(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text(team.name)

    task = add_task(page, team, description="Before nine.")
    expect(page.get_by_role("status")).to_contain_text(task.title)
    expect(column(page, "To do")).to_contain_text(task.title)
    # The home page lists the team; the task list has it too.
    page.goto("/")
    expect(page.get_by_role("link", name=team.name)).to_be_visible()
    page.goto("/tasks/")
    expect(page.get_by_role("link", name=task.title)).to_be_visible()


def test_a_task_can_be_added_from_the_task_list(page):
    sign_up(page)
    team = create_team(page)
    page.goto("/tasks/")
    page.get_by_text("New task", exact=True).first.click()
    # With one team, there is nothing to choose; with several, the team is asked for first.
    if page.get_by_label("Team").count():
        page.get_by_label("Team").select_option(label=re.compile(re.escape(team.name)))
        page.get_by_role("button", name=re.compile("Continue|Next|Choose")).click()
    title = unique("Order seeds")
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Add task").click()
    expect(page.get_by_role("status")).to_contain_text(title)
    page.goto(team.board)
    expect(column(page, "To do")).to_contain_text(title)


def test_move_a_task_across_the_board_by_drag_and_drop(page):
    sign_up(page)
    team = create_team(page)
    task = add_task(page, team)

    card(page, task).drag_to(column(page, "Doing"))
    expect(column(page, "Doing").locator(f"#task-{task.id}")).to_be_visible()
    card(page, task).drag_to(column(page, "Done"))
    expect(column(page, "Done").locator(f"#task-{task.id}")).to_be_visible()

    # It stayed moved: the server has it, not just the page.
    page.reload()
    expect(column(page, "Done").locator(f"#task-{task.id}")).to_be_visible()
    expect(column(page, "To do")).not_to_contain_text(task.title)


def test_move_a_task_across_the_board_without_javascript(open_page):
    page = open_page(javascript=False)
    sign_up(page)
    team = create_team(page)
    task = add_task(page, team)

    for status in ["Doing", "Done", "To do"]:
        card(page, task).get_by_role("button", name=f"Move to {status}").click()
        expect(page.get_by_role("status")).to_contain_text(f"moved to {status}")
        expect(column(page, status).locator(f"#task-{task.id}")).to_be_visible()


def test_the_task_page_tells_everything_about_the_task(page):
    person = sign_up(page)
    team = create_team(page)
    description = "Fill the can.\nWater the roots, not the leaves.\n\nTwice if it is hot."
    task = add_task(page, team, description=description, due_date="2031-07-14",
                    assignee=person.name)

    page.get_by_role("link", name=task.title).click()
    expect(page).to_have_url(re.compile(task.path + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(task.title)
    facts = page.get_by_role("main")
    # Line breaks are kept as typed. They show through the stylesheet (white-space), so the
    # text is read once the page has loaded it: before, on a busy machine, it read as one line.
    page.wait_for_load_state("load")
    assert page.locator("#task-description").inner_text() == description
    expect(facts).to_contain_text("2031-07-14")
    expect(facts).to_contain_text("To do")
    expect(page.locator("#task-assignee")).to_have_text(person.name)
    expect(page.locator("#task-last-changed")).to_contain_text(f"by {person.name}")

    # Moved from its own page, it stays there and says so.
    page.get_by_role("button", name="Move to Doing").click()
    expect(page).to_have_url(re.compile(task.path + "$"))
    expect(page.locator("#task-status")).to_have_text("Doing")


def test_a_cancelled_delete_keeps_the_task_and_a_confirmed_one_removes_it(open_page):
    # Without JavaScript: the question must be a page, not a script's dialog.
    page = open_page(javascript=False)
    sign_up(page)
    team = create_team(page)
    task = add_task(page, team, description="Some words that would be lost.")

    page.goto(task.path)
    page.locator("a", has_text=re.compile("^Delete")).click()
    question = page.get_by_role("main")
    expect(question).to_contain_text(task.title)
    expect(question).to_contain_text("cannot be undone")
    page.locator("a", has_text="Cancel").click()
    expect(page).to_have_url(re.compile(task.path + "$"))
    page.goto(team.board)
    expect(card(page, task)).to_be_visible()

    page.goto(task.path)
    page.locator("a", has_text=re.compile("^Delete")).click()
    page.get_by_role("button", name=re.compile("^Delete")).click()
    expect(page).to_have_url(re.compile(re.escape(team.board) + "$"))
    expect(page.get_by_role("status")).to_contain_text(f"“{task.title}” deleted")
    expect(card(page, task)).to_have_count(0)
    assert page.goto(task.path).status == 404


def test_filter_a_list_by_words(page):
    sign_up(page)
    team = create_team(page)
    wanted = add_task(page, team, title=unique("Prune the roses"))
    other = add_task(page, team, title=unique("Paint the fence"))
    for path in [team.board, "/tasks/"]:
        page.goto(path)
        page.get_by_text("Filter the tasks").click()  # folded until used
        page.get_by_label("Text").fill("roses")
        page.get_by_role("button", name="Filter").click()
        expect(page.get_by_role("link", name=wanted.title)).to_be_visible()
        expect(page.get_by_role("link", name=other.title)).to_have_count(0)


def test_a_list_opened_without_filters_marks_nothing_wrong(page):
    sign_up(page)
    team = create_team(page)
    for path in [team.board, "/tasks/"]:
        page.goto(path)
        expect(page.get_by_role("main").get_by_role("alert")).to_have_count(0)
