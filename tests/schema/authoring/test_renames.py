import pytest
from alembic.autogenerate import render_python_code
from alembic.operations import ops
from alembic.util import CommandError
from sqlalchemy import Integer, String

from project.schema.authoring.renames import (
    ColumnRename,
    ask_on_terminal,
    choose_renames,
    column_rename_candidates,
    rewrite_column_rename,
)
from project.schema.authoring.table_renames import (
    TableRename,
    rewrite_table_rename,
    table_rename_candidates,
)
from tests.schema.authoring.operations import add_column, batch, column, drop_column, script, table


TO_DISPLAY_NAME = ColumnRename("users", "name", "display_name")


def test_a_column_pair_is_a_candidate_only_with_the_same_kind_of_value():
    upgrade = ops.UpgradeOps(ops=[batch(
        "users",
        add_column("users", "display_name", String(80)),
        add_column("users", "age", Integer()),
        drop_column("users", "name"),
    )])
    assert column_rename_candidates(upgrade) == [ColumnRename("users", "name", "display_name")]


def test_the_question_is_the_one_users_see():
    assert ColumnRename("users", "name", "display_name").question == (
        "Was users.name renamed to users.display_name? [y/N] "
    )


@pytest.mark.parametrize(
    "answer, expected", [("y", True), ("Yes", True), ("", False), ("n", False)]
)
def test_ask_on_terminal_takes_only_yes_for_yes(answer, expected):
    assert ask_on_terminal("?", read=lambda question: answer) is expected


def test_end_of_input_is_no():
    def closed(question):
        raise EOFError

    assert ask_on_terminal("?", read=closed) is False


def test_requested_renames_win_and_each_column_is_used_once():
    candidates = [TO_DISPLAY_NAME, ColumnRename("users", "name", "nickname")]
    asked = []

    def ask(question):
        asked.append(question)
        return True

    assert choose_renames(candidates, {"rename=users.name:nickname"}, ask) == [candidates[1]]
    assert asked == []


def test_the_terminal_is_asked_until_a_yes():
    candidates = [TO_DISPLAY_NAME, ColumnRename("users", "name", "nickname")]
    answers = iter(["n", "y"])

    def ask(question):
        return ask_on_terminal(question, read=lambda prompt: next(answers))

    assert choose_renames(candidates, set(), ask) == [candidates[1]]


def test_a_rename_that_matches_nothing_is_an_error():
    with pytest.raises(CommandError, match="-x rename=users.nme:display_name"):
        choose_renames([TO_DISPLAY_NAME], {"rename=users.nme:display_name"}, None)


def test_a_column_rename_becomes_alter_column_both_ways():
    migration = script(
        batch("users", add_column("users", "display_name"), drop_column("users", "name"))
    )
    rewrite_column_rename(migration.upgrade_ops, migration.downgrade_ops, TO_DISPLAY_NAME)
    upgrade = render_python_code(migration.upgrade_ops, render_as_batch=True)
    downgrade = render_python_code(migration.downgrade_ops, render_as_batch=True)
    assert "alter_column('name'" in upgrade and "new_column_name='display_name'" in upgrade
    assert "alter_column('display_name'" in downgrade and "new_column_name='name'" in downgrade
    assert "drop_column" not in upgrade + downgrade and "add_column" not in upgrade + downgrade


def test_a_table_rename_keeps_the_table_and_renames_its_unique_constraints():
    old = table("users", column("email"), unique=["email"])
    new = table("accounts", column("email"), unique=["email"])
    migration = script(ops.CreateTableOp.from_table(new), ops.DropTableOp.from_table(old))
    rename = TableRename("users", "accounts")
    assert table_rename_candidates(migration.upgrade_ops) == [rename]
    rewrite_table_rename(migration.upgrade_ops, migration.downgrade_ops, rename)
    upgrade = render_python_code(migration.upgrade_ops, render_as_batch=True)
    assert "op.rename_table('users', 'accounts')" in upgrade
    assert "drop_constraint('uq_users_email'" in upgrade
    assert "create_unique_constraint('uq_accounts_email', ['email'])" in upgrade
    assert "op.rename_table('accounts', 'users')" in render_python_code(migration.downgrade_ops)


def test_a_renamed_tables_indexes_are_dropped_by_their_old_names_after_the_rename():
    old = table("users", column("name"))
    new = table("accounts", column("name"))
    old_index = ops.CreateIndexOp("ix_users_name", "users", ["name"]).to_index()
    new_index = ops.CreateIndexOp("ix_accounts_name", "accounts", ["name"]).to_index()
    migration = script(
        ops.CreateTableOp.from_table(new),
        batch("accounts", ops.CreateIndexOp.from_index(new_index)),
        batch("users", ops.DropIndexOp.from_index(old_index)),
        ops.DropTableOp.from_table(old),
    )
    rename = TableRename("users", "accounts")
    rewrite_table_rename(migration.upgrade_ops, migration.downgrade_ops, rename)
    upgrade = render_python_code(migration.upgrade_ops, render_as_batch=True)
    assert upgrade.index("op.rename_table('users', 'accounts')") < upgrade.index(
        "drop_index('ix_users_name')"
    ) < upgrade.index("create_index('ix_accounts_name'")
    assert "drop_table" not in upgrade and "create_table" not in upgrade
    downgrade = render_python_code(migration.downgrade_ops, render_as_batch=True)
    assert downgrade.index("op.rename_table('accounts', 'users')") < downgrade.index(
        "drop_index('ix_accounts_name')"
    ) < downgrade.index("create_index('ix_users_name'")
