from flask_wtf import FlaskForm
from wtforms import EmailField, StringField
from wtforms.validators import DataRequired, Email, Length

from project.blueprints.auth.forms import normalize_email
from project.forms import strip


class TeamForm(FlaskForm):
    name = StringField("Team name", validators=[DataRequired(), Length(max=80)], filters=[strip])


class AddMemberForm(FlaskForm):
    email = EmailField("Email of the person to add",
                       validators=[DataRequired(), Email(), Length(max=254)],
                       filters=[normalize_email])


class RemoveMemberForm(FlaskForm):
    """No fields: the CSRF token makes the removal a deliberate act."""
