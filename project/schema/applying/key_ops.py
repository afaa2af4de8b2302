"""`batch_op.replace_primary_key(...)`: a table's primary key moved to other columns.

Before the old key goes, the rows are counted: if two share a value of the
new key, nothing is changed and the error says how to find them. MariaDB
commits each DDL statement, so a key dropped before a failed creation would
stay dropped; counting first keeps the table as it was.
"""
from alembic.operations.base import BatchOperations
from alembic.operations.ops import MigrateOperation
from sqlalchemy import column, func, select, table


class DuplicateKeys(Exception):
    """Rows share a value of the primary key a revision is about to make."""


@BatchOperations.register_operation("replace_primary_key", "batch_replace_primary_key")
class ReplacePrimaryKeyOp(MigrateOperation):
    def __init__(self, table_name, constraint_name, old_columns, new_columns):
        self.table_name = table_name
        self.constraint_name = constraint_name
        self.old_columns = list(old_columns)
        self.new_columns = list(new_columns)

    @classmethod
    def batch_replace_primary_key(cls, operations, constraint_name, old_columns, new_columns):
        return operations.invoke(
            cls(operations.impl.table_name, constraint_name, old_columns, new_columns)
        )

    def reverse(self):
        return ReplacePrimaryKeyOp(
            self.table_name, self.constraint_name, self.new_columns, self.old_columns
        )

    def to_diff_tuple(self):
        return ("replace_primary_key", self.table_name, tuple(self.old_columns),
                tuple(self.new_columns))


@BatchOperations.implementation_for(ReplacePrimaryKeyOp)
def replace_primary_key(operations, operation):
    if not operations.get_context().as_sql:
        refuse_duplicates(operations.get_bind(), operation.table_name, operation.new_columns)
    name = operations.f(operation.constraint_name)
    operations.drop_constraint(name, type_="primary")
    operations.create_primary_key(name, operation.new_columns)


def refuse_duplicates(connection, table_name, columns):
    key = [column(name) for name in columns]
    groups = select(*key).select_from(table(table_name)).group_by(*key).having(func.count() > 1)
    count = connection.scalar(select(func.count()).select_from(groups.subquery()))
    if not count:
        return
    listed = ", ".join(columns)
    raise DuplicateKeys(
        f"{count} value(s) of ({listed}) are shared by several rows of {table_name}, and the "
        f"primary key this revision makes must keep them apart; find them with: SELECT {listed}, "
        f"count(*) FROM {table_name} GROUP BY {listed} HAVING count(*) > 1"
    )
