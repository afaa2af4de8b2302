import datetime

from wtforms import IntegerField, SearchField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import HiddenInput
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from project.blueprints.tasks.models import Status
from project.forms import ChoiceField, DayField, Form, none_if_empty, strip

# A due date outside these is a typing slip (0001-01-01), not a plan.
EARLIEST_DUE_DATE = datetime.date(1900, 1, 1)
LATEST_DUE_DATE = datetime.date(2999, 12, 31)

STATUS_CHOICES = [SelectChoice(status.value, status.label) for status in Status]


def user_id_or_none(value):
    """The assignee field's value: a user id, or None for "nobody". Anything else
    raises ValueError, which the field reports as an error."""
    if value in (None, ""):
        return None
    return int(value)


def status_field():
    # InputRequired: a request without a status is refused, not read as the default.
    return ChoiceField("Status", choices=STATUS_CHOICES, coerce=Status, default=Status.TODO,
                       validators=[InputRequired("Choose a status.")],
                       message="Choose a status from the list: To do, Doing or Done.")


def member_choices(members):
    """"Nobody", then the members ([(user id, name)], by name): the only people a task can be
    assigned to."""
    return [SelectChoice("", "Nobody")] + [SelectChoice(user_id, name) for user_id, name in members]


class TaskForm(Form):
    title = StringField("Title", validators=[DataRequired("Give the task a title."),
                                             Length(max=200)], filters=[strip])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)],
                                filters=[strip, none_if_empty])
    status = status_field()
    assignee_id = ChoiceField("Assignee", coerce=user_id_or_none,
                              message="Choose a member of this team, or Nobody.")
    due_date = DayField("Due date", validators=[Optional()],
                        earliest=EARLIEST_DUE_DATE, latest=LATEST_DUE_DATE)

    def __init__(self, team, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the team's members can be chosen: anyone else is refused.
        self.assignee_id.choices = member_choices(team.members_by_name())

    def assignee_name(self):
        """The name of the assignee chosen in this form, or "Nobody"."""
        chosen = self.assignee_id.data
        return next((choice.label for choice in self.assignee_id.choices
                     if choice.value == chosen), "Nobody")


class TaskEditForm(TaskForm):
    # The version of the task the form was filled from: saving it over a newer
    # version would lose someone else's changes (see the edit view).
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])

    def based_on(self, version):
        """Base the form on `version`: saving it again will overwrite that version."""
        self.version.data = version
        self.version.raw_data = [str(version)]

    def populate_obj(self, obj):
        """Everything typed, but never the version: SQLAlchemy counts that (version_id_col),
        and a form sent without it would write NULL."""
        for name, field in self._fields.items():
            if name != "version":
                field.populate_obj(obj, name)


class ChooseTeamForm(Form):
    """The first step of a new task from /tasks/: which team it is for."""

    team = ChoiceField("Team", message="Choose one of your teams.",
                       validators=[InputRequired("Choose a team.")])

    def __init__(self, teams, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The slug beside the name: two teams may share a name.
        self.team.choices = [SelectChoice(team.slug, f"{team.name} ({team.slug})")
                             for team in teams]


class MoveForm(Form):
    status = status_field()


class DeleteTaskForm(Form):
    """No fields: the CSRF token makes the deletion a deliberate act."""


ANY = ""
ME = "me"
NOBODY = "nobody"


class TaskFilterForm(Form):
    """The filters above a list of tasks: read from the address (GET), so a filtered list
    can be bookmarked and paged through. Nothing is changed, so no CSRF token."""

    class Meta:
        csrf = False

    # default=ANY: a list opened without filters is not a refused choice.
    status = ChoiceField("Status", message="Choose a status from the list.", default=ANY,
                         choices=[SelectChoice(ANY, "Any status")] + STATUS_CHOICES)
    assignee = ChoiceField("Assignee", message="Choose an assignee from the list.", default=ANY)
    q = SearchField("Text", validators=[Optional(), Length(max=200)], filters=[strip],
                    render_kw={"placeholder": "Words in the title or description"})

    def __init__(self, members, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = [SelectChoice(str(user_id), name) for user_id, name in members]
        self.assignee.choices = [SelectChoice(ANY, "Anyone"), SelectChoice(ME, "Me"),
                                 SelectChoice(NOBODY, "Nobody")] + people

    def active(self):
        """{name: value} of the filters in use, for the links to other pages."""
        return {field.name: field.data for field in self if field.data}

    def applied(self):
        """How many filters narrow the list: those in use with a value that can be chosen."""
        return sum(1 for field in self if field.data and not field.errors)
