from wtforms import EmailField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length

from project.blueprints.teams.models import Role
from project.forms import ChoiceField, Form, normalize_email, strip


class TeamForm(Form):
    name = StringField("Team name", validators=[DataRequired("Give the team a name."),
                                                Length(max=80)], filters=[strip])


class InvitationForm(Form):
    email = EmailField("Email of the person to invite",
                       validators=[DataRequired("Give the address to invite."),
                                   Email("Give an email address, such as ada@example.com."),
                                   Length(max=254)],
                       filters=[normalize_email])


class RoleForm(Form):
    role = ChoiceField("Role", coerce=Role, validators=[InputRequired("Choose a role.")],
                       choices=[SelectChoice(Role.MEMBER.value, "Member"),
                                SelectChoice(Role.OWNER.value, "Owner")],
                       message="Choose Member or Owner.")


class ActionForm(Form):
    """No fields: a button whose CSRF token makes the action (remove, leave, delete, cancel,
    accept) a deliberate act of this session."""
