from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from project.blueprints.auth.passwords import MAX_LENGTH, MIN_LENGTH, weakness
from project.forms import Form, normalize_email, strip

PASSWORD_LENGTH = Length(
    min=MIN_LENGTH, max=MAX_LENGTH,
    message=f"Use between {MIN_LENGTH} and {MAX_LENGTH} characters: a few words make a good one.",
)


class HardToGuess:
    """Refuses a password that zxcvbn finds easy to guess, saying why in words.

    The other fields of the form (name, email) count as things easy to guess.
    """

    def __call__(self, form, field):
        others = [f.data for f in form if f is not field and isinstance(f.data, str)
                  and f.type in ("StringField", "EmailField")]
        if getattr(form, "known_user_inputs", None):
            others += form.known_user_inputs
        reason = weakness(field.data or "", others)
        if reason:
            raise ValidationError(reason)


def new_password_field(label):
    return PasswordField(label, validators=[DataRequired(), PASSWORD_LENGTH, HardToGuess()])


def email_field(label="Email"):
    return EmailField(label, validators=[DataRequired(), Email(), Length(max=254)],
                      filters=[normalize_email])


class RegistrationForm(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=64)], filters=[strip])
    email = email_field()
    password = new_password_field("Password")
    confirm = PasswordField(
        "Repeat password",
        validators=[DataRequired(), EqualTo("password", message="Passwords must match.")],
    )


class LoginForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)],
                       filters=[normalize_email])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember_me = BooleanField("Remember me")


class ForgotPasswordForm(Form):
    email = email_field()


class ResetPasswordForm(Form):
    password = new_password_field("New password")
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("password", message="Passwords must match.")],
    )


class ButtonForm(Form):
    """No fields: it carries the CSRF token that makes a button press a deliberate act."""
