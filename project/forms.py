"""The base of every blueprint's forms, and the input filters they share."""
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
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


class ChoiceField(SelectField):
    """A select whose refusals a person understands.

    WTForms says "Invalid Choice: could not coerce." or "Not a valid choice." for
    a value the list does not hold; this says `message` ("Choose a status from
    the list.") for both.
    """

    def __init__(self, label=None, validators=None, message="Choose one of the options offered.",
                 **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.message) from None

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(self.message) from None


class DayField(DateField):
    """A date typed as YYYY-MM-DD (what a browser's date input sends), with a plain refusal;
    `earliest` and `latest` bound it, on the server and in the browser's date picker."""

    def __init__(self, label=None, validators=None, earliest=None, latest=None, **kwargs):
        render_kw = dict(kwargs.pop("render_kw", None) or {})
        if earliest and latest:
            validators = [*(validators or []), DateBetween(earliest, latest)]
            render_kw.update(min=earliest.isoformat(), max=latest.isoformat())
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Give a date as year-month-day, such as 2026-12-24.") from None
