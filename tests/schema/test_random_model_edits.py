"""Random sequences of model edits to a scratch table, through the real CLI, with rows throughout.

For each drawn sequence, in a copy of the project on the backend under test
(TEST_DATABASE_URL), these hold:

- `flask db check` sees each edit before it is migrated;
- `flask db migrate` (given the acknowledgment the edit needs, as a user gives
  it) writes a script and `flask db upgrade` applies it; `check` is then clean,
  and every row and value is kept, except a column acknowledged to be dropped;
- stepping back down, each downgrade runs, keeps every row, and leaves the
  reflected schema as it was before that step;
- upgrading to head again works, and `check` is clean.

The examples are derandomized: every run draws the same ones, so a failure
reproduces. CI runs FUZZ_EXAMPLES (default 2) sequences of FUZZ_STEPS
(default 2) edits, each of a different kind where one applies: an example of
two edits is some fifteen CLI runs (about 2 s of CPU each), so the test stays
near a minute per backend; `make fuzz` runs more (pytest's `--hypothesis-show-statistics` counts the
kinds drawn).
FUZZ_SEED=N draws other sequences, the same ones again for the same N.
FUZZ_KINDS=a,b chooses the edit kinds (tests/schema/model_edits.py lists
them, and which are on by default).
Failures are not shrunk: each example costs a dozen CLI runs; the drawn edits
are printed instead.
"""
import os
import re

import pytest
from hypothesis import HealthCheck, Phase, event, given, note, seed, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from tests.cli import copy_project
from tests.databases import head_database
from tests.migrations.project_copy import Project
from tests.schema.model_edits import (
    FIRST_TABLE,
    MODULE,
    TABLE,
    draw_edit,
    enabled_kinds,
    render_models,
    value_for,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
STEPS = int(os.environ.get("FUZZ_STEPS", "2"))
SEED = os.environ.get("FUZZ_SEED")
KINDS = enabled_kinds(os.environ.get("FUZZ_KINDS"))


def step_back(project):
    """`flask db downgrade`, accepting the losses it names, as a user does after reading them.

    A downgrade refuses to drop a column that holds values until told. The checks
    after it (the schema as before the step, every row kept) prove that what it
    named was what the step added.
    """
    refused = project.run("db", "downgrade")
    if refused.returncode == 0:
        return
    named = re.search(r"flask db downgrade -1((?: -x \S+)+) \(or", refused.stderr)
    assert named, refused.stderr
    project.succeed("db", "downgrade", *named.group(1).split())


def seeded(test):
    return seed(int(SEED))(test) if SEED else test


@pytest.fixture
def scratch_project(tmp_path, database_at_head):
    """A copy of the project with a scratch blueprint's `widgets` table in its history.

    The revision that creates the table is written once; each example then
    starts from a new database at the head before it and removes the revisions it wrote.
    """
    project = Project(copy_project(tmp_path / "copy"), None)
    project.add_models(MODULE, render_models(FIRST_TABLE), "Widget")
    with head_database(tmp_path, database_at_head) as url:
        project.database_url = url
        project.succeed("db", "migrate", "-m", "create widgets")
    return project


@seeded
@settings(
    max_examples=EXAMPLES,
    derandomize=SEED is None,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_model_edits_keep_every_row_and_step_back_down(
        scratch_project, database_at_head, tmp_path, data):
    project = scratch_project
    scripts_before = set(project.scripts())
    try:
        with head_database(tmp_path, database_at_head) as url:
            project.database_url = url
            walk_edits_up_and_down(project, data)
    finally:
        for name in set(project.scripts()) - scripts_before:
            (project.versions / name).unlink()
        (project.root / MODULE).write_text(render_models(FIRST_TABLE))


def walk_edits_up_and_down(project, data):
    project.succeed("db", "upgrade")
    project.execute(
        "INSERT INTO users (id, name, email, session_token) "
        "VALUES (1, 'Ada', 'ada@example.org', 'token-1')"
    )
    table = FIRST_TABLE
    rows_written = 0
    for _ in range(2):
        rows_written += 1
        insert_row(project, table, rows_written)

    schemas_before = []
    steps = []  # (edit, the table before it)
    kinds_used = []
    for step in range(1, STEPS + 1):
        edit = draw_edit(table, data.draw, KINDS, kinds_used)
        kinds_used.append(edit.kind)
        event(edit.kind)
        note(f"step {step}: {edit.description} (-x {' -x '.join(edit.x_arguments) or 'none'})")
        (project.root / MODULE).write_text(render_models(edit.table))

        unmigrated = project.run("db", "check")
        assert unmigrated.returncode != 0, f"check did not see: {edit.description}"
        assert "New upgrade operations detected" in unmigrated.stdout + unmigrated.stderr

        for name in edit.filled:
            fill_nulls(project, name, value_for(table.named(name), 0))
        rows_before = widget_rows(project)
        schemas_before.append(reflected_schema(project.database_url))
        steps.append((edit, table))
        project.succeed("db", "migrate", "-m", edit.description, x_arguments=edit.x_arguments)
        project.succeed("db", "upgrade")
        assert_clean(project)
        assert_rows_kept(rows_before, widget_rows(project), edit)

        table = edit.table
        rows_written += 1
        insert_row(project, table, rows_written)

    for step, schema_before in reversed(list(enumerate(schemas_before, start=1))):
        edit, table_before = steps[step - 1]
        for name in edit.filled_before_downgrade:
            fill_nulls(project, name, value_for(table_before.named(name), 0))
        ids_before = set(widget_rows(project))
        step_back(project)
        assert reflected_schema(project.database_url) == schema_before, f"downgrade of step {step}"
        assert set(widget_rows(project)) == ids_before, f"downgrade of step {step} lost rows"

    project.succeed("db", "upgrade")
    assert_clean(project)


def insert_row(project, table, number):
    values = {"id": number, **{c.name: value_for(c, number) for c in table.columns}}
    names = ", ".join(values)
    placeholders = ", ".join(f":{name}" for name in values)
    project.execute(f"INSERT INTO {TABLE} ({names}) VALUES ({placeholders})", **values)


def fill_nulls(project, column, value):
    """What a developer does before making a column NOT NULL, as the guard's message says."""
    project.execute(f"UPDATE {TABLE} SET {column} = :value WHERE {column} IS NULL", value=value)


def widget_rows(project):
    engine = project.engine()
    try:
        with engine.connect() as connection:
            result = connection.execute(text(f"SELECT * FROM {TABLE}")).mappings()
            return {row["id"]: dict(row) for row in result}
    finally:
        engine.dispose()


def assert_clean(project):
    checked = project.succeed("db", "check")
    assert "No new upgrade operations detected" in checked.stdout


def assert_rows_kept(before, after, edit):
    assert set(after) == set(before), f"{edit.description}: rows lost or gained"
    for row_id, row in before.items():
        for name, value in row.items():
            if name in edit.dropped:
                continue
            new_name = edit.renamed.get(name, name)
            kept = after[row_id][new_name]
            if name in edit.converted and value is not None:
                # A number and its digits are one value.
                value, kept = str(value), None if kept is None else str(kept)
            assert kept == value, (
                f"{edit.description}: row {row_id} {name}={value!r} became "
                f"{new_name}={kept!r}"
            )


def reflected_schema(url):
    """Everything a downgrade must restore, in an order that does not depend on rebuilds."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        inspector = inspect(engine)
        schema = {}
        for name in sorted(inspector.get_table_names()):
            schema[name] = {
                "columns": sorted(
                    (c["name"], repr(c["type"]), c["nullable"], str(c.get("default")))
                    for c in inspector.get_columns(name)
                ),
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in inspector.get_indexes(name)
                ),
                "foreign keys": sorted(
                    (fk["name"], tuple(fk["constrained_columns"]), fk["referred_table"])
                    for fk in inspector.get_foreign_keys(name)
                ),
                "unique": sorted(
                    (u["name"], tuple(u["column_names"]))
                    for u in inspector.get_unique_constraints(name)
                ),
                "checks": sorted(
                    (c["name"], " ".join(c["sqltext"].split()))
                    for c in inspector.get_check_constraints(name)
                ),
            }
        if engine.dialect.name == "postgresql":
            schema["enum types"] = sorted(
                (e["name"], tuple(e["labels"])) for e in inspector.get_enums()
            )
        return schema
    finally:
        engine.dispose()
