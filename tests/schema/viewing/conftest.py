import pytest

from tests.cli import copy_project
from tests.databases import throwaway_database
from tests.migrations.project_copy import Project


@pytest.fixture
def project(tmp_path):
    """A copy of the project and an empty database of the backend under test."""
    with throwaway_database(tmp_path) as url:
        yield Project(copy_project(tmp_path / "copy"), url)
