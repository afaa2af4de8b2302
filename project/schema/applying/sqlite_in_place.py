"""SQLite: a batch operation runs as SQLite's own ALTER TABLE where SQLite allows it;
a batch's cast to another type keeps every value (sqlite_casts.py).

Autogenerate writes every change inside `batch_alter_table` (render_as_batch),
and on SQLite Alembic then copies the whole table for anything but an added
column or an index: a dropped column costs a copy of every row, three times
what SQLite's own `ALTER TABLE ... DROP COLUMN` (3.35 and later) costs.

So, before a batch would copy its table: when each of its operations is one
SQLite can do in place (add or drop a column, rename one, create or drop an
index), they are run as those statements, in order. SQLite itself decides
whether it allows each (it refuses to drop a column that is a key, UNIQUE,
indexed, in a CHECK, a foreign key, a generated column's expression, a view or
a trigger); asking it is exact where reading the schema ourselves would be a
guess, and its refusal comes before any row is rewritten, undoing only that
statement. The operations from the refused one on are then left to the batch,
which copies the table as it stands. (A savepoint around the whole batch would
have been simpler, but SQLite then journals every page the statement rewrites:
half as slow again as the statement alone.)
"""
import sqlite3
from types import SimpleNamespace

from alembic.ddl.sqlite import SQLiteImpl
from sqlalchemy.exc import DBAPIError

from project.schema.applying.sqlite_casts import (
    copies_as_text,
    refuse_lossy_cast,
    refuse_text_not_dates,
)

# ALTER TABLE ... DROP COLUMN came with SQLite 3.35.0 (RENAME COLUMN with 3.25.0).
NATIVE_DROP_COLUMN = (3, 35, 0)
# What alter_column may change and still be a rename alone, with its value for "unchanged".
UNCHANGED = {"type_": None, "nullable": None, "server_default": False, "comment": False,
             "autoincrement": None}


class SQLiteInPlaceImpl(SQLiteImpl):
    """Alembic's SQLite implementation, with batch operations in place where allowed.

    Defining `__dialect__` registers it in Alembic's place for "sqlite".
    """

    __dialect__ = "sqlite"

    def requires_recreate_in_batch(self, batch_op):
        if not super().requires_recreate_in_batch(batch_op):
            return False
        if self.as_sql or sqlite3.sqlite_version_info < NATIVE_DROP_COLUMN:
            return True
        # A table given to copy from is the table before any of the batch ran.
        if batch_op.copy_from is not None:
            return True
        if not all(self._in_place(operation) for operation in batch_op.batch):
            return True
        return not self._ran_in_place(batch_op)

    def cast_for_batch_migrate(self, existing, existing_transfer, new_type):
        """Alembic's cast of a column whose type changes, checked against the rows first;
        text made a date is copied as it is (sqlite_casts.py)."""
        column = existing_transfer["expr"]
        if copies_as_text(existing.type, new_type):
            if not self.as_sql:
                refuse_text_not_dates(self.connection, column)
            return
        super().cast_for_batch_migrate(existing, existing_transfer, new_type)
        cast_value = existing_transfer["expr"]
        if cast_value is not column and not self.as_sql:
            refuse_lossy_cast(self.connection, column, cast_value)

    def _in_place(self, operation):
        name, _args, kw = operation
        if name == "drop_column":
            return True
        if name == "alter_column":
            renamed = kw.get("name") is not None
            return renamed and all(kw.get(key, unchanged) == unchanged
                                   for key, unchanged in UNCHANGED.items())
        # An added column or an index: in place if Alembic itself would not copy for it.
        return not super().requires_recreate_in_batch(SimpleNamespace(batch=[operation]))

    def _ran_in_place(self, batch_op):
        """Run the batch's operations as plain statements until SQLite refuses one; True if
        it allowed every one. What ran is taken out of the batch; the rest is left to it."""
        done = 0
        for name, args, kw in batch_op.batch:
            try:
                getattr(self, name)(*args, **kw)
            except DBAPIError as error:
                if not refused(error):
                    raise
                break
            done += 1
        del batch_op.batch[:done]
        return not batch_op.batch


def refused(error):
    """SQLite's plain refusal (SQLITE_ERROR): that statement undone, the transaction intact.

    Other errors (a full disk, I/O) may have rolled the whole transaction back.
    """
    return getattr(error.orig, "sqlite_errorcode", None) == sqlite3.SQLITE_ERROR
