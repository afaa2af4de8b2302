"""A line of progress on a terminal while a migration copies the database or runs revisions.

Only when standard error is a terminal: a log or a pipe gets Alembic's usual
lines and nothing rewritten in place. On a terminal the status line says what
is under way, how far along, and for how long; Alembic's "Running upgrade ..."
line for each revision is left out there (the status names the revision), and
`flask db -v` shows it again.
"""
import logging
import sys
import time
from contextlib import contextmanager

# Alembic's logger for each revision it runs ("Running upgrade a -> b, message").
REVISION_LOGGER = "alembic.runtime.migration"
REDRAW_SECONDS = 0.1


class StatusLine:
    """One line at the bottom of a terminal, rewritten in place; inert elsewhere."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.active = self.stream.isatty()
        self.started = time.monotonic()
        self.drawn = 0.0
        self.shown = False

    def show(self, text):
        if not self.active:
            return
        now = time.monotonic()
        # Hundreds of quick revisions: redraw a few times a second, not for each.
        if self.shown and now - self.drawn < REDRAW_SECONDS:
            return
        self.drawn = now
        self.stream.write(f"\r\033[K{text} ({now - self.started:.1f} s)")
        self.stream.flush()
        self.shown = True

    def clear(self):
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False


def copy_progress(status, what):
    """A callback for SQLite's backup: `progress(pages copied, pages in all)`."""
    if not status.active:
        return None

    def progress(copied, total):
        status.show(f"copying {what}: {copied * 100 // max(total, 1)}% of {total} pages")

    return progress


class _RevisionLines(logging.Filter):
    def filter(self, record):
        return not str(record.msg).startswith("Running ")


class RevisionProgress:
    """Call `start` with Alembic's plan, pass `revision_applied` as on_version_apply, then `end`."""

    def __init__(self, verbose, stream=None):
        self.status = StatusLine(stream)
        self.status.active = self.status.active and not verbose
        self.steps = []
        self.done = 0
        self.quiet_alembic = _RevisionLines()

    def start(self, steps):
        self.steps = list(steps)
        if self.status.active and self.steps:
            self.status.started = time.monotonic()
            logging.getLogger(REVISION_LOGGER).addFilter(self.quiet_alembic)
            self._show()

    def revision_applied(self, ctx, **_):
        self.done += 1
        if self.done < len(self.steps):
            self._show()

    def _show(self):
        step = self.steps[self.done]
        direction = "upgrade" if step.is_upgrade else "downgrade"
        script = getattr(step, "revision", None)
        named = f"{script.revision} {script.doc}" if script is not None else str(step)
        self.status.show(f"{direction} {self.done + 1}/{len(self.steps)}: {named}")

    @contextmanager
    def shown(self):
        """Around the run: one line saying what ran at the end, or none if it failed (the
        error says where)."""
        try:
            yield
        except BaseException:
            self._end(succeeded=False)
            raise
        self._end(succeeded=True)

    def _end(self, succeeded):
        logging.getLogger(REVISION_LOGGER).removeFilter(self.quiet_alembic)
        if not self.status.shown:
            return
        self.status.clear()
        if succeeded:
            elapsed = time.monotonic() - self.status.started
            plural = "" if len(self.steps) == 1 else "s"
            self.status.stream.write(
                f"ran {len(self.steps)} revision{plural} in {elapsed:.1f} s\n")
            self.status.stream.flush()
