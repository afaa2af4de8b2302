"""The base of every blueprint's forms, and the input filters they share."""
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

NUL_REFUSED = "This field cannot contain a NUL character."


class Form(FlaskForm):
    """A Flask-WTF form that refuses text with a NUL character in any field.

    PostgreSQL cannot store NUL in text, and SQLite and MariaDB would keep a
    value no one can type; either way it is bad input, answered with a form
    error rather than a database error.
    """

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and "\x00" in field.data:
                field.errors = [*field.errors, NUL_REFUSED]
                valid = False
        return valid


def strip(value):
    """Surrounding whitespace is never meant: '  Ada ' is 'Ada', and '   ' is empty."""
    return value.strip() if isinstance(value, str) else value


def none_if_empty(value):
    """An optional text left empty is stored as NULL, not as ''."""
    return value or None


def normalize_email(value):
    """Emails compare without case or surrounding space: ' Ada@Example.COM' is 'ada@example.com'."""
    return value.strip().lower() if isinstance(value, str) else value


class DateBetween:
    """A date from `earliest` to `latest`, both included.

    WTForms' NumberRange refuses dates; a date a database stores but no one
    means (year 1) is a form error, not a row.
    """

    def __init__(self, earliest, latest):
        self.earliest, self.latest = earliest, latest

    def __call__(self, form, field):
        if field.data is not None and not self.earliest <= field.data <= self.latest:
            raise ValidationError(
                f"Give a date between {self.earliest.isoformat()} and {self.latest.isoformat()}."
            )
