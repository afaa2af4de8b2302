from alembic.operations import ops
from sqlalchemy import BigInteger, Integer, String, Text

from project.schema.authoring.destructive import find_risky_operations, narrows
from tests.schema.authoring.operations import add_column, batch, column, drop_column, table


def flags(*operations):
    return [finding.flag for finding in find_risky_operations(ops.UpgradeOps(ops=list(operations)))]


def test_drops_are_found_at_top_level_and_inside_batch_blocks():
    assert flags(
        batch("users", drop_column("users", "name")),
        ops.DropTableOp.from_table(table("notes")),
    ) == ["allow-drop=users.name", "allow-drop=notes"]


def test_a_new_not_null_column_needs_a_server_default_to_be_safe():
    assert flags(batch("users", add_column("users", "nickname", nullable=False))) == [
        "allow-not-null=users.nickname"
    ]
    with_default = add_column("users", "nickname", nullable=False, server_default="x")
    assert flags(batch("users", with_default)) == []
    assert flags(batch("users", add_column("users", "nickname", nullable=True))) == []


def test_making_a_column_not_null_is_found_and_the_backfill_is_suggested():
    [finding] = find_risky_operations(ops.UpgradeOps(ops=[batch("users", ops.AlterColumnOp(
        "users", "email", existing_type=String(254), existing_nullable=True, modify_nullable=False,
    ))]))
    assert finding.flag == "allow-not-null=users.email"
    assert "UPDATE" in finding.safe_form


def test_narrowing_is_found_and_widening_is_not():
    def alter(old, new):
        change = ops.AlterColumnOp("users", "name", existing_type=old, modify_type=new)
        return batch("users", change)

    assert flags(alter(String(64), String(32))) == ["allow-narrow=users.name"]
    assert flags(alter(String(64), String(100))) == []
    assert narrows(Text(), String(64))
    assert narrows(BigInteger(), Integer())
    assert narrows(String(10), Integer())
    assert not narrows(Integer(), BigInteger())
    # A number as text: only text too short for the longest number narrows.
    assert not narrows(Integer(), String(11)) and not narrows(BigInteger(), Text())
    assert narrows(Integer(), String(10)) and narrows(BigInteger(), String(19))


def test_a_new_unique_constraint_is_found_unless_it_recreates_one():
    create = ops.CreateUniqueConstraintOp("uq_users_email", "users", ["email"])
    assert flags(batch("users", create)) == ["allow-unique=users.email"]
    users = table("users", column("email"), unique=["email"])
    [old_constraint] = [c for c in users.constraints if c.name == "uq_users_email"]
    recreate = ops.DropConstraintOp.from_constraint(old_constraint)
    renamed = ops.CreateUniqueConstraintOp("uq_accounts_email", "users", ["email"])
    assert flags(batch("users", recreate, renamed)) == []


def test_one_alter_column_can_narrow_and_refuse_nulls_at_once():
    change = ops.AlterColumnOp(
        "users", "name", existing_type=String(64), modify_type=String(32),
        existing_nullable=True, modify_nullable=False,
    )
    assert flags(batch("users", change)) == ["allow-narrow=users.name", "allow-not-null=users.name"]
