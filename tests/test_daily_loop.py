"""The daily loop keeps the suite green: scaffold a feature, migrate, upgrade, run the tests.

The suite must not depend on which blueprints exist nor on when a revision was
written. So, in a copy of the project: `flask scaffold blueprint billing` (a
new table pointing at `users`), `flask db migrate`, `flask db upgrade`; the
revision's file is then given a name that sorts after anything the suite
writes (as a teammate's revision merged in, or a clock running ahead, would
have); and the tests that are sensitive to either run there, with pytest as
a subprocess, on the same backend.
"""
import subprocess
import sys

from tests.cli import environment
from tests.migrations.project_copy import project_at_head

# The tests that once named the blueprints pointing at `users` or took the
# last file name for the newest revision, and the history walk that must now
# include the new revision.
SENSITIVE_TESTS = [
    "tests/billing",
    "tests/test_registry.py",
    "tests/migrations/test_history.py",
    "tests/migrations/test_migrate_guard.py::"
    "test_a_renamed_table_is_renamed_with_its_rows_and_constraints",
    "tests/migrations/test_migrate_guard.py::"
    "test_a_removed_field_is_refused_then_written_with_its_mark_when_acknowledged",
]


def test_after_scaffold_migrate_and_upgrade_the_suite_still_passes(tmp_path, database_at_head):
    with project_at_head(tmp_path, database_at_head) as project:
        project.succeed("scaffold", "blueprint", "billing")
        project.succeed("db", "migrate", "-m", "add billing")
        project.succeed("db", "upgrade")
        assert "billing" in project.table_names()

    script = project.versions / [name for name in project.scripts() if "add_billing" in name][0]
    script.rename(project.versions / ("2099_12_31_2359-" + script.name.split("-", 1)[1]))

    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SENSITIVE_TESTS],
        cwd=project.root, env=environment({}), capture_output=True, text=True, timeout=1200,
    )
    assert tests.returncode == 0, tests.stdout[-5000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout and " failed" not in tests.stdout
