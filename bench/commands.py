"""`flask db` commands as a user runs them, at 7 revisions and at 300, beside plain Flask-Migrate.

Two questions, each answered for this project and for the plain Flask-Migrate
app of bench/plain_app.py, running the same revisions:

  read-only commands   `flask db current` on a database at head, and `flask db
                       history`: does their cost grow with the length of the
                       history?
  upgrade from empty   `flask db upgrade` on an empty database: what does each
                       revision cost?

The longer history is today's, followed by trivial revisions that each create
a small table. Every figure is the wall time of the whole command (process
start included, as a user waits for it), median of the rounds; with --cpu, the
processor time the command used (user and system), which a busy machine
disturbs far less than the wall time.

    python -m bench.commands [--rounds 7] [--revisions 300] [--cpu] [--part current|history|upgrade]
"""
import argparse
import resource
import shutil
import tempfile
from pathlib import Path

from bench.measure import compare, table
from bench.plain_app import make_plain_app
from tests.cli import copy_project, run_cli
from tests.migrations.revisions import add_revision


def lengthen_history(migrations_directory, total):
    """Add trivial revisions until the history holds `total`."""
    existing = len(list((migrations_directory / "versions").glob("*.py")))
    for number in range(existing, total):
        name = f"bench_{number:04d}"
        add_revision(
            migrations_directory, f"b{number:07d}", f"create {name}",
            f'op.create_table("{name}", sa.Column("id", sa.Integer(), primary_key=True))',
            f'op.drop_table("{name}")',
        )


class Setup:
    """A project copy and a plain app, both with the same history, and databases for them."""

    def __init__(self, workdir, revisions, cpu=False):
        self.cpu = cpu
        self.workdir = Path(workdir)
        self.project = copy_project(self.workdir / "project")
        if revisions:
            lengthen_history(self.project / "migrations", revisions)
        self.plain = make_plain_app(self.workdir / "plain", self.project / "migrations/versions")
        self.count = len(list((self.project / "migrations" / "versions").glob("*.py")))

    def database(self, name):
        return f"sqlite:///{self.workdir / name}.db"

    def run(self, flavour, *args, database):
        cwd = self.project if flavour == "project" else self.plain
        env = {"DATABASE_URL": database}
        if flavour == "plain":
            env["FLASK_APP"] = "plain"
        before = processor_time()
        # A real process, started as a user starts it: the tests' faster forked commands
        # would leave out the interpreter's start and the libraries' imports.
        result = run_cli(*args, cwd=cwd, env=env, timeout=600, end_to_end=True)
        used = processor_time() - before
        if result.returncode != 0:
            raise RuntimeError(f"{flavour}: flask {' '.join(args)} failed: {result.stderr}")
        # A number is taken by bench.measure as the figure; None, and the wall time is.
        return used if self.cpu else None

    def upgrade_from_empty(self, flavour):
        database = self.database(f"empty-{flavour}")
        Path(database.removeprefix("sqlite:///")).unlink(missing_ok=True)
        shutil.rmtree(self.workdir / "backups", ignore_errors=True)
        return self.run(flavour, "db", "upgrade", database=database)

    def read_only_at_head(self, flavour, command):
        database = self.database(f"head-{flavour}")
        self.run(flavour, "db", "upgrade", database=database)
        return lambda: self.run(flavour, "db", command, database=database)


def processor_time():
    """User and system time used so far by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


PARTS = ("current", "history", "upgrade")


def measure(rounds, revisions, cpu=False, parts=PARTS):
    sections = []
    clock = "processor time (user + system)" if cpu else "wall time"
    with tempfile.TemporaryDirectory() as workdir:
        short = Setup(Path(workdir) / "short", 0, cpu)
        long = Setup(Path(workdir) / "long", revisions, cpu)
        for command in ("current", "history"):
            if command in parts:
                sections.append(measure_read_only(command, short, long, rounds, clock))
        if "upgrade" in parts:
            sections.append(measure_upgrade(short, long, rounds, clock))
    return "\n".join(sections)


def measure_read_only(command, short, long, rounds, clock):
    figures = compare({
        f"{label}, {setup.count} revisions": setup.read_only_at_head(flavour, command)
        for label, flavour in (("project", "project"), ("plain Flask-Migrate", "plain"))
        for setup in (short, long)
    }, rounds)
    return table(
        f"`flask db {command}` on a database at head ({clock})", figures,
        baseline=f"project, {short.count} revisions",
        note="Goal (issue 16): the project's read-only commands flat in history length, "
             "at most 1.05x from the short history to the long one.",
    )


def measure_upgrade(short, long, rounds, clock):
    upgrades = {}
    for setup in (short, long):
        for flavour in ("project", "plain"):
            label = "project" if flavour == "project" else "plain Flask-Migrate"
            upgrades[f"{label}, {setup.count} revisions"] = fresh_upgrade(setup, flavour)
    figures = compare(upgrades, rounds)
    return table(
        f"`flask db upgrade` from an empty SQLite database ({clock})", figures,
        baseline=f"plain Flask-Migrate, {long.count} revisions",
        note=per_revision_note(figures, short.count, long.count),
    )


def fresh_upgrade(setup, flavour):
    return lambda: setup.upgrade_from_empty(flavour)


def per_revision_note(figures, short_count, long_count):
    """The cost of one revision: the difference between the two lengths, per added revision."""
    lines = []
    for label in ("project", "plain Flask-Migrate"):
        short = figures[f"{label}, {short_count} revisions"].median
        long = figures[f"{label}, {long_count} revisions"].median
        per = (long - short) / (long_count - short_count)
        lines.append(f"{label}: {per * 1000:.2f} ms a revision")
    return ("Per revision (difference between the two lengths): " + "; ".join(lines)
            + ". Goal (issue 16): the project no more than plain Alembic.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="rounds per figure (default 7)")
    parser.add_argument("--revisions", type=int, default=300,
                        help="length of the long history (default 300)")
    parser.add_argument("--cpu", action="store_true",
                        help="measure processor time instead of wall time")
    parser.add_argument("--part", choices=PARTS, action="append",
                        help="measure only this part (may be given more than once; default all)")
    args = parser.parse_args()
    print(measure(args.rounds, args.revisions, args.cpu, args.part or PARTS))


if __name__ == "__main__":
    main()
