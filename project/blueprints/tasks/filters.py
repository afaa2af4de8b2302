"""The filters of a task list (status, assignee, text), applied to its query."""
from flask import request
from sqlalchemy import or_

from project.blueprints.tasks.forms import ME, NOBODY, TaskFilterForm
from project.blueprints.tasks.models import Status, Task


def filter_form(memberships):
    """The filters as the address gives them; a value no one can choose is named as an error
    on the form and left out of the filtering, rather than answered with an error page."""
    form = TaskFilterForm(memberships, formdata=request.args)
    form.validate()
    return form


def filtered(query, form, user):
    """`query` (a select of tasks) narrowed to the filters of `form` that hold a valid value."""
    if form.status.data and not form.status.errors:
        query = query.where(Task.status == Status(form.status.data))
    if form.assignee.data and not form.assignee.errors:
        query = query.where(assigned_to(form.assignee.data, user))
    if form.q.data and not form.q.errors:
        # Case does not matter, and % or _ typed are themselves, not wildcards.
        words = form.q.data
        query = query.where(or_(Task.title.icontains(words, autoescape=True),
                                Task.description.icontains(words, autoescape=True)))
    return query


def assigned_to(choice, user):
    if choice == ME:
        return Task.assignee_id == user.id
    if choice == NOBODY:
        return Task.assignee_id.is_(None)
    return Task.assignee_id == int(choice)
