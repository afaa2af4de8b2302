from wtforms import EmailField, StringField
from wtforms.validators import DataRequired, Email, Length

from project.forms import Form, normalize_email, strip


class TeamForm(Form):
    name = StringField("Team name", validators=[DataRequired(), Length(max=80)], filters=[strip])


class InvitationForm(Form):
    email = EmailField("Email of the person to invite",
                       validators=[DataRequired(), Email(), Length(max=254)],
                       filters=[normalize_email])


class RemoveMemberForm(Form):
    """No fields: the CSRF token makes the removal a deliberate act."""
