from wtforms import PasswordField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from project.blueprints.auth.forms import email_field, new_password_field
from project.blueprints.auth.passwords import MAX_LENGTH
from project.forms import Form


def current_password_field():
    return PasswordField("Current password", validators=[DataRequired(), Length(max=MAX_LENGTH)])


class PasswordChangeForm(Form):
    current_password = current_password_field()
    new_password = new_password_field("New password")
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("new_password", message="Passwords must match.")],
    )


class EmailChangeForm(Form):
    email = email_field("New email")
    current_password = current_password_field()


class DeletionForm(Form):
    current_password = current_password_field()


def team_choice_field(team, members):
    """What becomes of `team`, owned by the user leaving: hand it to a member, or delete it."""
    choices = [SelectChoice(f"hand:{m.user_id}", f"Hand it over to {m.user.name}")
               for m in members]
    choices.append(SelectChoice("delete", "Delete it, with all its tasks"))
    return RadioField(f"Your team “{team.name}” ({team.slug})", choices=choices,
                      validators=[DataRequired(message="Choose what becomes of this team.")])
