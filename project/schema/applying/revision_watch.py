"""Which revision is running, and the schema as it was before it: what a failure left behind."""
from alembic.runtime.migration import RevisionStep

from project.schema.applying.schema_changes import schema_changes, schema_picture


class RevisionWatch:
    """Call `start` with Alembic's plan of steps; pass `revision_applied` as on_version_apply.

    The schema is reflected before the first step and after each one, so that
    the picture from before a failed revision is at hand when it fails.
    """

    def __init__(self):
        self.steps = []
        self.done = 0
        self.before = None

    def start(self, steps, connection):
        self.steps = list(steps)
        if self.steps:
            self.before = schema_picture(connection)

    def revision_applied(self, ctx, **_):
        self.done += 1
        if self.done < len(self.steps):
            self.before = schema_picture(ctx.connection)

    def failed_step(self):
        """(revision id, "upgrade" or "downgrade") of the step that was running, or None."""
        if self.before is None or self.done >= len(self.steps):
            return None
        step = self.steps[self.done]
        if not isinstance(step, RevisionStep):
            return None
        return step.revision.revision, "upgrade" if step.is_upgrade else "downgrade"

    def what_stayed(self, connection):
        """The schema changes the failed step left on `connection`, now rolled back."""
        if self.failed_step() is None:
            return []
        if connection.in_transaction():
            connection.rollback()
        return schema_changes(self.before, schema_picture(connection))
