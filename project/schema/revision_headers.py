"""The history's shape without importing every revision: each file's header, kept by content.

Alembic imports every revision module to learn the history's shape (each
file's revision, down_revision, branch labels, dependencies, message), so a
command that only asks where the database stands (`flask db current`) paid
for every file of the history. The header of each file is kept in the
versions folder's cache by the file's content (schema.script_cache); a module
is imported only when something of it beyond its header is used: its
`upgrade()` or `downgrade()`, when that revision runs. An edited file is read
again; a file whose header cannot be read is left to Alembic as it is.

Commands that run migrations/env.py get this there. Alembic's `heads`,
`branches`, `history` and `show` run no env.py: they make their own
ScriptDirectory, which `headers_only()` gives the same map.
"""
import sys
from contextlib import contextmanager

from alembic.script import Script, ScriptDirectory
from alembic.script.revision import RevisionMap
from alembic.util import load_python_file

from project.schema.script_cache import code_fingerprint, read_cached

HEADER = ("revision", "down_revision", "branch_labels", "depends_on", "__doc__")
# Asked of every module whose docstring is shown (`heads -v`, `history`, `show`); kept only
# where a file sets it, so that a module without it is known not to have it.
IF_SET = ("_alembic_source_encoding",)


def read_headers_once(script_directory):
    """Give `script_directory` a revision map built from cached headers.

    A map Alembic has already read (`flask db migrate` reads it before env.py
    runs) is left as it is: its revisions are the ones the command holds.
    """
    # memoized_property keeps what it computed in the instance's __dict__.
    if "_revision_map" not in vars(script_directory.revision_map):
        script_directory.revision_map = HeaderRevisionMap(lambda: _scripts(script_directory))


@contextmanager
def headers_only():
    """While it lasts, each ScriptDirectory Alembic makes from its config reads headers once.

    Alembic's commands make theirs inside, with no hook to reach it, so its
    constructor is wrapped for the length of the command, and put back after.
    """
    alembics_own = vars(ScriptDirectory)["from_config"]

    def from_config(cls, config):
        script_directory = alembics_own.__func__(cls, config)
        read_headers_once(script_directory)
        return script_directory

    ScriptDirectory.from_config = classmethod(from_config)
    try:
        yield
    finally:
        ScriptDirectory.from_config = alembics_own


class HeaderRevisionMap(RevisionMap):
    def _get_all_current(self, id_):
        """What the database's revisions stand for (`flask db current`), in one pass.

        Alembic's own filter walks every revision's descendants, for each
        revision below the current one: quadratic in the history's length.
        The set it filters holds every ancestor of what it holds, so a revision
        has a descendant in it exactly when one of its children is in it.
        """
        current = set(self.get_revisions(id_))
        current.update(self._get_ancestor_nodes(list(current), include_dependencies=True))
        ids = {revision.revision for revision in current}
        return {revision for revision in current if not revision.nextrev & ids}


def _scripts(script_directory):
    # Each folder resolved once, not each file (Alembic resolves each, to find a file
    # listed twice; two version locations that are the same folder are found here as well).
    locations = dict.fromkeys(location.resolve()
                              for location in script_directory._version_locations
                              if location.exists())
    paths = [path for location in locations
             for path in Script._list_py_dir(script_directory, location)]
    sources = [path for path in paths if path.suffix == ".py" and not path.name.startswith(
        (".#", "__init__"))]
    headers = dict(zip(sources, read_cached(
        sources, "revision-headers", code_fingerprint(sys.modules[__name__]), header_of,
    )))
    for path in paths:
        header = headers.get(path)
        if header is None:
            # Not a plain revision file (a compiled one, one without `revision`): Alembic's way.
            script = Script._from_path(script_directory, path)
        else:
            script = Script(LazyModule(path, header), header["revision"], path)
        if script is not None:
            yield script


def header_of(source):
    """The header values of a revision file, or None when it declares no `revision`."""
    namespace = {"__name__": "revision_header"}
    exec(compile(source, "<revision>", "exec"), namespace)
    if not isinstance(namespace.get("revision"), str):
        return None
    header = {name: _plain(namespace.get(name)) for name in HEADER}
    header.update((name, namespace[name]) for name in IF_SET if name in namespace)
    return header


def _plain(value):
    return list(value) if isinstance(value, (tuple, list, set, frozenset)) else value


class LazyModule:
    """Stands for a revision module: its header at hand, the module imported on first other use."""

    def __init__(self, path, header):
        self._path = path
        self._module = None
        for name, value in header.items():
            setattr(self, name, tuple(value) if isinstance(value, list) else value)

    def __getattr__(self, name):
        # Only what the header does not hold comes here: upgrade, downgrade, ...
        if name in IF_SET:
            raise AttributeError(name)  # the header holds it wherever the file sets it
        if self._module is None:
            self._module = load_python_file(str(self._path.parent), self._path.name)
        return getattr(self._module, name)
