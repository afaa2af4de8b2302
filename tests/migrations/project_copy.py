"""A copy of the project on a database of its own, and the commands a developer types there.

Shared by the tests that drive the real `flask db ...` on edited models. Nothing
here assumes which blueprints exist or when a revision was written: the newest
revision is the history's head, read with Alembic's ScriptDirectory, never the
last file name (two revisions written in the same minute sort by their ids).
"""
from contextlib import contextmanager
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from tests.cli import REPO_ROOT, copy_project, run_cli
from tests.databases import head_database

# The module that imports every model, so that Alembic's autogenerate sees them.
REGISTRY = "project/models/__init__.py"


class Project:
    """A copy of the project, its database, and the commands a developer types."""

    def __init__(self, root, database_url):
        self.root = Path(root)
        self.database_url = database_url
        self.migrations = self.root / "migrations"
        self.versions = self.migrations / "versions"

    def run(self, *args, terminal=None, x_arguments=()):
        """Run a command; stdin is `terminal` if given, and otherwise never a terminal."""
        stdin = {"stdin": terminal} if terminal is not None else {"input": ""}
        x = [part for argument in x_arguments for part in ("-x", argument)]
        return run_cli(
            *args, *x, cwd=self.root, env={"DATABASE_URL": self.database_url}, **stdin
        )

    def run_with(self, *args, **settings):
        """Run a command with more settings in its environment (PATH=..., say)."""
        environment = {"DATABASE_URL": self.database_url, **settings}
        return run_cli(*args, cwd=self.root, env=environment, input="")

    def succeed(self, *args, **kwargs):
        result = self.run(*args, **kwargs)
        assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result

    def edit(self, relative_path, old, new):
        path = self.root / relative_path
        source = path.read_text()
        assert old in source
        path.write_text(source.replace(old, new))

    def edit_user_model(self, old, new):
        self.edit("project/blueprints/auth/models.py", old, new)

    def add_models(self, relative_path, source, *names):
        """Write a models module and import its `names` in the registry, as a new feature
        does; a new folder becomes a package. Returns the line added to the registry."""
        path = self.root / relative_path
        if not path.parent.exists():
            path.parent.mkdir()
            (path.parent / "__init__.py").write_text("")
        path.write_text(source)
        module = ".".join(Path(relative_path).with_suffix("").parts)
        line = f"from {module} import {', '.join(names)}  # noqa: F401\n"
        registry = self.root / REGISTRY
        registry.write_text(registry.read_text() + line)
        return line

    def point_foreign_keys(self, old_table, new_table):
        """Rewrite `ForeignKey("OLD.col")` as `"NEW.col"` in every blueprint's models, as a
        team renaming a table does: whichever blueprints exist."""
        for path in (self.root / "project" / "blueprints").rglob("*.py"):
            source = path.read_text()
            if f'"{old_table}.' in source:
                path.write_text(source.replace(f'"{old_table}.', f'"{new_table}.'))

    def add_users(self, users):
        """A row in `users` for each (id, name, email), each with a session token of its own."""
        for user_id, name, email in users:
            self.execute(
                "INSERT INTO users (id, name, email, session_token) "
                "VALUES (:id, :name, :email, :token)",
                id=user_id, name=name, email=email, token=f"token-{user_id}",
            )

    def scripts(self):
        return sorted(path.name for path in self.versions.glob("*.py"))

    def head(self):
        """The history's head revision (a fresh read: a command may just have written it)."""
        script_directory = ScriptDirectory(str(self.migrations))
        return script_directory.get_revision(script_directory.get_current_head())

    def newest_script(self):
        return Path(self.head().path).read_text()

    def current(self):
        """The revision the database is at, or None when it is empty."""
        if "alembic_version" not in self.table_names():
            return None
        return self.query("SELECT version_num FROM alembic_version")[0][0]

    def engine(self):
        return create_engine(self.database_url, poolclass=NullPool)

    def table_names(self):
        engine = self.engine()
        try:
            return set(inspect(engine).get_table_names())
        finally:
            engine.dispose()

    def query(self, sql, **parameters):
        engine = self.engine()
        try:
            with engine.connect() as connection:
                return connection.execute(text(sql), parameters).all()
        finally:
            engine.dispose()

    def add_team(self, name):
        """Insert a team named `name`; True if the database took it, False if it refused.

        An id of its own: rows given theirs outright leave PostgreSQL's sequence behind.
        """
        [(team_id,)] = self.query("SELECT coalesce(max(id), 0) + 1 FROM teams")
        try:
            self.execute("INSERT INTO teams (id, name, slug) VALUES (:id, :name, :slug)",
                         id=team_id, name=name, slug=f"slug-{team_id}")
        except DBAPIError:
            return False
        return True

    def execute(self, sql, **parameters):
        engine = self.engine()
        try:
            with engine.begin() as connection:
                connection.execute(text(sql), parameters)
        finally:
            engine.dispose()


@contextmanager
def project_at_head(directory, template):
    """A copy of this checkout in `directory`, on a database of its own at head, without rows:
    a copy of `template`, the `database_at_head` fixture's database (see `copy_at_head`)."""
    with copy_at_head(Project(REPO_ROOT, template), directory) as project:
        yield project


@contextmanager
def copy_at_head(source, directory):
    """A copy of the Project `source` in `directory`, on a database of its own at the source's
    head: a copy of the source's database (which holds no rows) where the backend can copy one,
    or else one that `flask db upgrade` builds (`head_database`)."""
    with head_database(directory, source.database_url, source.root) as url:
        yield Project(copy_project(Path(directory) / "copy", source.root), url)
