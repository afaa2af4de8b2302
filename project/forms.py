"""Input filters shared by every blueprint's forms."""


def strip(value):
    """Surrounding whitespace is never meant: '  Ada ' is 'Ada', and '   ' is empty."""
    return value.strip() if isinstance(value, str) else value


def none_if_empty(value):
    """An optional text left empty is stored as NULL, not as ''."""
    return value or None
