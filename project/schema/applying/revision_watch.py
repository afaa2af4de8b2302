"""Which revision is running, and the schema as it was before it: what a failure left behind."""
from alembic.runtime.migration import RevisionStep

from project.schema.applying.schema_changes import schema_changes, schema_picture
from project.schema.applying.script_facts import facts_of


class RevisionWatch:
    """Call `start` with Alembic's plan of steps; pass `revision_applied` as on_version_apply.

    The schema is reflected before each step that could leave part of itself
    behind when it fails: every step where DDL commits as it goes (MariaDB),
    and a step that commits midway (`autocommit_block`) elsewhere. Where a
    failed step rolls back whole, nothing can stay, and reflecting the whole
    schema before each of hundreds of revisions would cost more than running them.
    """

    def __init__(self):
        self.steps = []
        self.may_leave_part = []
        self.done = 0
        self.started = False
        self.before = None

    def start(self, steps, connection, transactional_ddl):
        self.steps = list(steps)
        self.started = True
        facts = facts_of(step.revision for step in self.steps if isinstance(step, RevisionStep))
        self.may_leave_part = [
            not transactional_ddl
            or (isinstance(step, RevisionStep) and facts[step.revision.revision].commits_midway)
            for step in self.steps
        ]
        self._picture_before_next(connection)

    def revision_applied(self, ctx, **_):
        self.done += 1
        self._picture_before_next(ctx.connection)

    def _picture_before_next(self, connection):
        upcoming = self.done < len(self.steps) and self.may_leave_part[self.done]
        self.before = schema_picture(connection) if upcoming else None

    def failed_step(self):
        """(revision id, "upgrade" or "downgrade") of the step that was running, or None."""
        if not self.started or self.done >= len(self.steps):
            return None
        step = self.steps[self.done]
        if not isinstance(step, RevisionStep):
            return None
        return step.revision.revision, "upgrade" if step.is_upgrade else "downgrade"

    def what_stayed(self, connection):
        """The schema changes the failed step left on `connection`, now rolled back."""
        if self.failed_step() is None or self.before is None:
            return []
        if connection.in_transaction():
            connection.rollback()
        return schema_changes(self.before, schema_picture(connection))
