from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from project.blueprints.tasks import bp
from project.blueprints.tasks.forms import DeleteTaskForm, MoveForm, TaskForm
from project.blueprints.tasks.models import Status, Task
from project.blueprints.teams.access import membership_or_404, team_membership_or_404
from project.blueprints.teams.models import Membership, Team
from project.extensions import db


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


def by_status(tasks):
    """{Status.TODO: [...], Status.DOING: [...], Status.DONE: [...]}, in the order given."""
    columns = {status: [] for status in Status}
    for task in tasks:
        columns[task.status].append(task)
    return columns


def tasks_of(team_ids):
    # Undated tasks last on every backend (NULLs sort first on some, last on others).
    return db.session.scalars(
        select(Task).where(Task.team_id.in_(team_ids)).options(selectinload(Task.assignee))
        .order_by(Task.due_date.is_(None), Task.due_date, Task.id)
    ).all()


@bp.get("/")
def index():
    """Every task of every team the user is in, one section per team."""
    teams = db.session.scalars(
        select(Team).join(Membership).where(Membership.user_id == current_user.id)
        .order_by(Team.name)
    ).all()
    tasks = tasks_of([team.id for team in teams])
    return render_template(
        "tasks/index.html",
        teams=teams,
        tasks_by_team={team.id: [t for t in tasks if t.team_id == team.id] for team in teams},
    )


@bp.get("/team/<slug>/")
def board(slug):
    team = team_membership_or_404(slug).team
    tasks = tasks_of([team.id])
    return render_template(
        "tasks/board.html",
        team=team,
        columns=by_status(tasks),
        # Each task's select shows where that task stands.
        move_forms={task.id: MoveForm(status=task.status) for task in tasks},
        delete_form=DeleteTaskForm(),
    )


@bp.route("/team/<slug>/new", methods=["GET", "POST"])
def create(slug):
    team = team_membership_or_404(slug).team
    form = TaskForm(team)
    if form.validate_on_submit():
        task = Task(team=team)
        form.populate_obj(task)
        db.session.add(task)
        db.session.commit()
        flash(f"Task “{task.title}” added.", "success")
        return redirect(url_for("tasks.board", slug=team.slug))
    return render_template("tasks/form.html", form=form, team=team, task=None)


@bp.route("/<id:task_id>/edit", methods=["GET", "POST"])
def edit(task_id):
    task = task_or_404(task_id)
    form = TaskForm(task.team, obj=task)
    if form.validate_on_submit():
        form.populate_obj(task)
        db.session.commit()
        flash(f"Task “{task.title}” saved.", "success")
        return redirect(url_for("tasks.board", slug=task.team.slug))
    return render_template("tasks/form.html", form=form, team=task.team, task=task)


@bp.post("/<id:task_id>/move")
def move(task_id):
    task = task_or_404(task_id)
    form = MoveForm()
    if form.validate_on_submit():
        task.status = form.status.data
        db.session.commit()
        flash(f"Task “{task.title}” moved to {task.status.label}.", "success")
    else:
        errors = " ".join(error for field in form.errors.values() for error in field)
        flash(f"Task “{task.title}” was not moved: {errors}", "error")
    return redirect(url_for("tasks.board", slug=task.team.slug))


@bp.post("/<id:task_id>/delete")
def delete(task_id):
    # CSRFProtect has already refused a POST without this session's token.
    task = task_or_404(task_id)
    slug, title = task.team.slug, task.title
    db.session.delete(task)
    db.session.commit()
    flash(f"Task “{title}” deleted.", "success")
    return redirect(url_for("tasks.board", slug=slug))
