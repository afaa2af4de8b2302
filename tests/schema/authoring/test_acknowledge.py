import pytest
from alembic.util import CommandError

from project.schema.authoring.acknowledge import parse_acknowledgments


def test_repeated_x_arguments_each_count():
    acknowledgments = parse_acknowledgments(
        [
            "allow-drop=users.name",
            "allow-drop=notes",
            "rename=users.email:mail",
            "rename=users:accounts",
        ]
    )
    assert acknowledgments.allowed == {"allow-drop=users.name", "allow-drop=notes"}
    assert acknowledgments.renames == {"rename=users.email:mail", "rename=users:accounts"}


@pytest.mark.parametrize(
    "argument", ["allow_drop=users.name", "allow-drop", "rename=users.name", "rename=users.:x"]
)
def test_a_misspelt_argument_is_refused_rather_than_ignored(argument):
    with pytest.raises(CommandError, match="is not understood"):
        parse_acknowledgments([argument])
