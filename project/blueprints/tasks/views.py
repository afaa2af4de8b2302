from itertools import groupby

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from project.blueprints.auth.redirects import safe_next_path
from project.blueprints.tasks import bp
from project.blueprints.tasks.filters import active_filters, filter_form
from project.blueprints.tasks.forms import (
    ChooseTeamForm,
    DeleteTaskForm,
    MoveForm,
    TaskEditForm,
    TaskForm,
)
from project.blueprints.tasks.models import Status, Task
from project.blueprints.tasks.ordering import read_across_teams, read_team
from project.blueprints.teams.access import membership_or_404, team_membership_or_404
from project.blueprints.teams.models import Membership, Team
from project.expired_forms import redisplays_expired_form
from project.extensions import db
from project.pagination import page_read_by


@bp.before_request
@login_required
def require_login():
    """Every page of this blueprint needs a logged-in user."""


def task_or_404(task_id):
    """The task, if it belongs to a team of the current user; else 404."""
    task = db.session.get(Task, task_id)
    if task is None:
        abort(404)
    membership_or_404(task.team)
    return task


TASKS_PER_PAGE = 50


def by_status(tasks):
    """{Status.TODO: [...], Status.DOING: [...], Status.DONE: [...]}, in the order given."""
    columns = {status: [] for status in Status}
    for task in tasks:
        columns[task.status].append(task)
    return columns


def my_teams():
    return select(Team).join(Membership, Membership.team_id == Team.id).where(
        Membership.user_id == current_user.id
    )


@bp.get("/")
def index():
    """A page of the tasks of every team the user is in, team by team, filtered."""
    filters = filter_form(members=[])
    active = active_filters(filters, current_user)
    teams = db.session.scalars(my_teams().order_by(Team.name, Team.id)).all()
    page = page_read_by(
        lambda limit, offset: read_across_teams(teams, active, limit, offset), TASKS_PER_PAGE
    )
    return render_template("tasks/index.html", page=page, has_teams=bool(teams),
                           filters=filters,
                           by_team=[(team, list(tasks)) for team, tasks
                                    in groupby(page.items, key=lambda task: task.team)])


@bp.route("/new", methods=["GET", "POST"])
def choose_team():
    """A new task from the list of all tasks: first, which team it is for."""
    teams = db.session.scalars(my_teams().order_by(Team.name, Team.id)).all()
    if len(teams) == 1:
        return redirect(url_for("tasks.create", slug=teams[0].slug))
    form = ChooseTeamForm(teams, team=request.args.get("team"))
    if teams and form.validate_on_submit():
        return redirect(url_for("tasks.create", slug=form.team.data))
    return render_template("tasks/choose_team.html", form=form, teams=teams)


@bp.get("/team/<slug>/")
def board(slug):
    team = team_membership_or_404(slug).team
    filters = filter_form(team.members_by_name())
    active = active_filters(filters, current_user)
    page = page_read_by(
        lambda limit, offset: read_team(team.id, active, limit, offset), TASKS_PER_PAGE
    )
    return render_template(
        "tasks/board.html",
        team=team,
        page=page,
        filters=filters,
        columns=by_status(page.items),
    )


@bp.route("/team/<slug>/new", methods=["GET", "POST"])
@redisplays_expired_form
def create(slug):
    team = team_membership_or_404(slug).team
    form = TaskForm(team, status=request.args.get("status", Status.TODO))
    if form.validate_on_submit():
        task = Task(team=team)
        form.populate_obj(task)
        task.changed_by(current_user._get_current_object())
        db.session.add(task)
        if committed_with_a_member_assigned(form):
            flash(f"Task “{task.title}” added.", "success")
            return redirect(url_for("tasks.board", slug=team.slug))
    return render_template("tasks/form.html", form=form, team=team, task=None)


def committed_with_a_member_assigned(form):
    """Commit; if the assignee left the team meanwhile, say so on the form and return False.

    The form offered only members, but one may have been removed since: the
    database's key from the task to the memberships refuses the row.
    """
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.assignee_id.errors.append(
            f"{form.assignee_name()} is no longer a member of this team."
        )
        return False
    return True


@bp.get("/<id:task_id>")
def show(task_id):
    task = task_or_404(task_id)
    return render_template("tasks/show.html", task=task, team=task.team)


@bp.route("/<id:task_id>/edit", methods=["GET", "POST"])
@redisplays_expired_form
def edit(task_id):
    task = task_or_404(task_id)
    form = TaskEditForm(task.team, obj=task)
    if form.validate_on_submit():
        if form.version.data not in (None, task.version):
            return edit_conflict(form, task_id, task.team)
        team = task.team
        form.populate_obj(task)
        task.changed_by(current_user._get_current_object())
        try:
            saved = committed_with_a_member_assigned(form)
        except StaleDataError:
            # Saved (or deleted) by another request between our read and our write.
            db.session.rollback()
            return edit_conflict(form, task_id, team)
        if saved:
            flash(f"Task “{task.title}” saved.", "success")
            return redirect(url_for("tasks.show", task_id=task.id))
    return render_template("tasks/form.html", form=form, team=task.team, task=task)


def edit_conflict(form, task_id, team):
    """409: someone saved the task since this form was filled. Nothing is overwritten: the
    form comes back with what was typed, beside the values saved meanwhile."""
    newer = db.session.get(Task, task_id, populate_existing=True)
    if newer is None:
        flash(f"Task “{form.title.data}” was deleted by someone else; nothing was saved.",
              "error")
        return redirect(url_for("tasks.board", slug=team.slug))
    form.based_on(newer.version)
    return render_template("tasks/form.html", form=form, team=team, task=newer,
                           newer=newer), 409


def back_to(task):
    """Where a move returns: the page it was made from (its `next`), else the board."""
    return safe_next_path(request.form.get("next")) or url_for("tasks.board",
                                                               slug=task.team.slug)


@bp.post("/<id:task_id>/move")
def move(task_id):
    task = task_or_404(task_id)
    form = MoveForm()
    if form.validate_on_submit():
        task.status = form.status.data
        task.changed_by(current_user._get_current_object())
        db.session.commit()
        flash(f"Task “{task.title}” moved to {task.status.label}.", "success")
    else:
        errors = " ".join(error for field in form.errors.values() for error in field)
        flash(f"Task “{task.title}” was not moved: {errors}", "error")
    return redirect(back_to(task))


@bp.get("/<id:task_id>/delete")
def confirm_delete(task_id):
    """The question before a deletion: it names the task, and cancelling goes back to it."""
    task = task_or_404(task_id)
    losses = [f"the task “{task.title}”"]
    if task.description:
        losses.append("its description")
    return render_template(
        "confirm.html", kind="delete-task", form=DeleteTaskForm(),
        heading=f"Delete the task “{task.title}”?",
        question=f"The task leaves the board of {task.team.name} for everyone in the team.",
        losses=losses, button="Delete the task",
        action=url_for("tasks.delete", task_id=task.id),
        cancel=url_for("tasks.show", task_id=task.id),
    )


@bp.post("/<id:task_id>/delete")
def delete(task_id):
    # CSRFProtect has already refused a POST without this session's token.
    task = task_or_404(task_id)
    slug, title = task.team.slug, task.title
    db.session.delete(task)
    db.session.commit()
    flash(f"Task “{title}” deleted.", "success")
    return redirect(url_for("tasks.board", slug=slug))
