"""The base of every blueprint's forms, and the input filters they share."""
from flask_wtf import FlaskForm

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
