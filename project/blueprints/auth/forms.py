from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from project.forms import Form, normalize_email, strip

PASSWORD_LENGTH = Length(min=8, max=128)


class RegistrationForm(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=64)],
                       filters=[strip])
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)],
                       filters=[normalize_email])
    password = PasswordField("Password", validators=[DataRequired(), PASSWORD_LENGTH])
    confirm = PasswordField(
        "Repeat password",
        validators=[DataRequired(), EqualTo("password", message="Passwords must match.")],
    )


class LoginForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)],
                       filters=[normalize_email])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=128)])
    remember_me = BooleanField("Remember me")


class PasswordChangeForm(Form):
    current_password = PasswordField("Current password",
                                     validators=[DataRequired(), Length(max=128)])
    new_password = PasswordField("New password", validators=[DataRequired(), PASSWORD_LENGTH])
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("new_password", message="Passwords must match.")],
    )


class LogoutForm(Form):
    """No fields: it carries the CSRF token that makes logging out a deliberate act."""
