"""Put the operations of a script in an order that SQLite, PostgreSQL and MariaDB all run.

Autogenerate writes a table's index and constraint changes in the order it
compared them, which is not an order every database accepts:

- a renamed column's new index, check and foreign key come before the rename, and
  name a column that does not exist yet;
- MariaDB refuses to drop an index that a foreign key needs (error 1553), so
  a key must go before its index, and come back after;
- MariaDB lets a new index on a foreign key's columns take the place of the
  one it made for the key: dropping that index later needs the key dropped
  and restored around it;
- tables dropped together (a whole blueprint removed) come in no particular
  order, nor do the downgrade's tables that recreate them: a table must be
  dropped before the tables it refers to, and created after them;
- a table that is dropped has its indexes dropped first, each one a 1553 on
  MariaDB if a foreign key of the table needs it; dropping the table drops them;
- SQLite's batch mode rebuilds a table under its columns' old names, so an
  index or key on a column renamed in the same block is not found (or, for a
  key, silently left out): they go in a second block, after the rename.

The same order is written whichever database autogenerate compared with, so
a script written on SQLite runs on MariaDB in production.
"""
from graphlib import CycleError, TopologicalSorter

from alembic.operations import ops

from project.schema.authoring.op_tree import leaf_operations

# Within one table's block: keys let go of their indexes before the indexes
# go (and checks go with them); the columns change; indexes and checks, which
# may name a renamed or added column, exist before the keys that use them.
FOREIGN_KEY_DROPS, INDEX_DROPS, OTHERS, INDEX_CREATES, FOREIGN_KEY_CREATES = range(5)


def order_script(script):
    """Rewrite the upgrade and the downgrade of the MigrationScript `script` in place."""
    created_by_upgrade = {
        str(op.index_name): op for _, op in leaf_operations(script.upgrade_ops)
        if isinstance(op, ops.CreateIndexOp)
    }
    order_for_every_backend(script.upgrade_ops, {})
    order_for_every_backend(script.downgrade_ops, created_by_upgrade)


def order_for_every_backend(operations, created_indexes):
    """Rewrite `operations` in place; `created_indexes`: name -> the op that created the index."""
    leave_indexes_to_their_dropped_tables(operations)
    put_in_dependency_order(operations, ops.DropTableOp, referrers_first=True)
    put_in_dependency_order(operations, ops.CreateTableOp, referrers_first=False)
    ordered = []
    for block in operations.ops:
        if isinstance(block, ops.ModifyTableOps):
            keep_foreign_keys_around_index_drops(block, created_indexes)
            block.ops.sort(key=place_in_block)
            ordered.extend(split_after_renames(block))
        else:
            ordered.append(block)
    operations.ops[:] = ordered


def split_after_renames(block):
    """The block, or two: the second creates the indexes and keys once the columns are renamed."""
    renames = any(isinstance(op, ops.AlterColumnOp) and op.modify_name for op in block.ops)
    creates = [op for op in block.ops if place_in_block(op) >= INDEX_CREATES]
    if not (renames and creates):
        return [block]
    block.ops[:] = [op for op in block.ops if place_in_block(op) < INDEX_CREATES]
    return [block, ops.ModifyTableOps(block.table_name, creates, schema=block.schema)]


def place_in_block(op):
    if isinstance(op, ops.OpContainer) and op.ops:
        return place_in_block(op.ops[0])  # ops run only on some databases, checks.py's
    if isinstance(op, ops.DropConstraintOp):
        return FOREIGN_KEY_DROPS if op.constraint_type == "foreignkey" else INDEX_DROPS
    if isinstance(op, ops.DropIndexOp):
        return INDEX_DROPS
    if isinstance(op, (ops.CreateIndexOp, ops.CreateUniqueConstraintOp,
                       ops.CreateCheckConstraintOp)):
        return INDEX_CREATES
    if isinstance(op, ops.CreateForeignKeyOp):
        return FOREIGN_KEY_CREATES
    return OTHERS


def put_in_dependency_order(operations, kind, referrers_first):
    """Sort the top-level ops of `kind` by the foreign keys between their tables.

    Each table's own block (its indexes) moves with it: before its drop,
    after its creation. Tables whose keys refer to each other in a cycle have
    no such order, and are left as they are.
    """
    by_name = {op.table_name: op for op in operations.ops if isinstance(op, kind)}
    refers_to = {name: referred_tables(op) & set(by_name) - {name} for name, op in by_name.items()}
    if referrers_first:
        graph = {name: {other for other in by_name if name in refers_to[other]} for name in by_name}
    else:
        graph = refers_to
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError:
        return
    blocks = {name: [] for name in by_name}
    for op in operations.ops:
        if isinstance(op, ops.ModifyTableOps) and op.table_name in blocks:
            blocks[op.table_name].append(op)
    grouped = [
        op for name in order
        for op in ([*blocks[name], by_name[name]] if referrers_first else
                   [by_name[name], *blocks[name]])
    ]
    moved = {id(op) for op in grouped}
    # The group takes the place of its first member; everything else keeps its order.
    first = next((i for i, op in enumerate(operations.ops) if id(op) in moved), 0)
    rest = [op for op in operations.ops if id(op) not in moved]
    operations.ops[:] = rest[:first] + grouped + rest[first:]


def referred_tables(table_op):
    return {key.referred_table.name for key in table_op.to_table().foreign_key_constraints}


def leave_indexes_to_their_dropped_tables(operations):
    """Remove the `drop_index` ops of tables the same script drops, and blocks left empty."""
    dropped = {op.table_name for op in operations.ops if isinstance(op, ops.DropTableOp)}
    for block in operations.ops:
        if isinstance(block, ops.ModifyTableOps) and block.table_name in dropped:
            block.ops[:] = [op for op in block.ops if not isinstance(op, ops.DropIndexOp)]
    operations.ops[:] = [
        op for op in operations.ops
        if not (isinstance(op, ops.ModifyTableOps) and not op.ops)
    ]


def keep_foreign_keys_around_index_drops(block, created_indexes):
    """Drop and restore each foreign key that may be using an index the block drops.

    A key the block drops anyway needs nothing more. Elsewhere than on
    MariaDB the pair costs a check of the key's rows, and does no harm.
    """
    dropped_keys = {
        str(op.constraint_name) for op in block.ops
        if isinstance(op, ops.DropConstraintOp) and op.constraint_type == "foreignkey"
    }
    for index_drop in [op for op in block.ops if isinstance(op, ops.DropIndexOp)]:
        for key in foreign_keys_served_by(index_columns(index_drop, created_indexes)):
            if str(key.name) not in dropped_keys:
                dropped_keys.add(str(key.name))
                block.ops.extend(foreign_key_dropped_and_restored(key, block.table_name))


def foreign_key_dropped_and_restored(key, table_name):
    """The drop and the creation of `key` on `table_name`, its table now (after a rename, say).

    Built from the key's own spelling of what it refers to: a key reflected with
    a dropped or renamed table has no referred table to resolve.
    """
    referred = [element.target_fullname.rsplit(".", 1) for element in key.elements]
    return [
        ops.DropConstraintOp(key.name, table_name, type_="foreignkey"),
        ops.CreateForeignKeyOp(
            key.name, table_name, referred[0][0], list(key.column_keys),
            [column for _, column in referred], ondelete=key.ondelete, onupdate=key.onupdate,
            deferrable=key.deferrable, initially=key.initially,
        ),
    ]


def index_columns(index_drop, created_indexes):
    """The columns of the index `index_drop` drops, bound to a table that knows its keys.

    An upgrade's `drop_index` is built from the reflected index; a
    downgrade's, from a bare copy of the index the upgrade created with the
    model's columns: those are taken instead.
    """
    create = created_indexes.get(str(index_drop.index_name), index_drop._reverse)
    return create.columns if create is not None else []


def foreign_keys_served_by(columns):
    """The foreign keys of the columns' table whose columns lead `columns`."""
    tables = {getattr(column, "table", None) for column in columns}
    if len(tables) != 1 or None in tables:
        return []
    names = [column.name for column in columns]
    (table,) = tables
    return [
        key for key in table.foreign_key_constraints
        if key.name is not None and names[:len(key.columns)] == [c.name for c in key.columns]
    ]
