"""The filters of a task list (status, assignee, text): read from the address, checked by a
form, and applied as bound parameters, so that each combination of filters has one statement,
built once (ordering.py)."""
from flask import request
from sqlalchemy import bindparam, or_

from project.blueprints.tasks.forms import ME, NOBODY, TaskFilterForm
from project.blueprints.tasks.models import Status, Task

# The escape character of the text filter's LIKE pattern.
ESCAPE = "/"


def filter_form(members):
    """The filters as the address gives them, `members` ([(user id, name)]) to choose from;
    a value no one can choose is named as an error on the form and left out of the
    filtering, rather than answered with an error page."""
    form = TaskFilterForm(members, formdata=request.args)
    form.validate()
    return form


def active_filters(form, user):
    """{name: value} of the filters of `form` that hold a valid value; `criteria` turns the
    names into the conditions the values are bound to."""
    active = {}
    if form.status.data and not form.status.errors:
        active["status"] = Status(form.status.data)
    if form.assignee.data and not form.assignee.errors:
        if form.assignee.data == NOBODY:
            active["unassigned"] = None
        else:
            active["assignee_id"] = user.id if form.assignee.data == ME else int(form.assignee.data)
    if form.q.data and not form.q.errors:
        active["words"] = containing(form.q.data)
    return active


def containing(words):
    """A LIKE pattern for text containing `words`, in which % and _ typed are themselves."""
    escaped = words.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%") \
        .replace("_", ESCAPE + "_")
    return f"%{escaped}%"


def parameters(active):
    """The values the conditions of `active` (active_filters()) bind: "unassigned" binds none."""
    return {name: value for name, value in active.items() if name != "unassigned"}


def criteria(names):
    """The conditions of the filters `names` (keys of active_filters), with bound parameters
    of the same names."""
    conditions = {
        "status": lambda: Task.status == bindparam("status"),
        "assignee_id": lambda: Task.assignee_id == bindparam("assignee_id"),
        "unassigned": lambda: Task.assignee_id.is_(None),
        # Case does not matter (ILIKE, or lower() on both sides where there is none).
        "words": lambda: or_(Task.title.ilike(bindparam("words"), escape=ESCAPE),
                             Task.description.ilike(bindparam("words"), escape=ESCAPE)),
    }
    return [conditions[name]() for name in sorted(names)]
