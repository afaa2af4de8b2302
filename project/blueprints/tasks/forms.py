import datetime

from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import HiddenInput
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from project.blueprints.tasks.models import Status
from project.forms import DateBetween, Form, none_if_empty, strip

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
    return SelectField("Status", choices=STATUS_CHOICES, coerce=Status, default=Status.TODO,
                       validators=[InputRequired()])


class TaskForm(Form):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)], filters=[strip])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)],
                                filters=[strip, none_if_empty])
    status = status_field()
    assignee_id = SelectField("Assignee", coerce=user_id_or_none)
    due_date = DateField("Due date", validators=[
        Optional(), DateBetween(EARLIEST_DUE_DATE, LATEST_DUE_DATE)
    ])

    def __init__(self, team, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the team's members can be chosen: anyone else is "Not a valid choice".
        members = sorted((m.user for m in team.memberships), key=lambda user: user.name)
        self.assignee_id.choices = [SelectChoice("", "Nobody")] + [
            SelectChoice(user.id, user.name) for user in members
        ]

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


class MoveForm(Form):
    status = status_field()


class DeleteTaskForm(Form):
    """No fields: the CSRF token makes the deletion a deliberate act."""
