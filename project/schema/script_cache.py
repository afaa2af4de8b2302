"""What is read from a revision file, remembered by the file's content: read once, not per command.

Reading a revision's source (the audit's findings, whether it rebuilds tables)
costs about half a millisecond a file; a history of hundreds of revisions made
every command pay that for every file. The results are kept in the versions
folder's `__pycache__` (where Python already keeps what it compiled from the
same files), keyed by a hash of each file's content, and by a hash of the code
that read it: an edited revision, or a newer audit, is read again.
A cache that cannot be read or written is only slower, never wrong.
"""
import hashlib
import json
import os
import tempfile
from pathlib import Path

CACHE_FOLDER = "__pycache__"


def code_fingerprint(*modules):
    """A hash of the source files of `modules`: the reader the cached results came from."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def read_cached(paths, name, fingerprint, compute):
    """[compute(source) for each path], taking what the cache `name` holds for the same content.

    `compute` returns a value JSON can hold; the cache file is written once, if
    anything was computed.
    """
    paths = [Path(path) for path in paths]
    if not paths:
        return []
    cache_file = paths[0].parent / CACHE_FOLDER / f"project-{name}.json"
    known = _load(cache_file, fingerprint)
    values, added = [], False
    for path in paths:
        source = path.read_bytes()
        key = hashlib.sha256(source).hexdigest()
        if key not in known:
            known[key] = compute(source.decode())
            added = True
        values.append(known[key])
    if added:
        _save(cache_file, fingerprint, known)
    return values


def _load(cache_file, fingerprint):
    try:
        stored = json.loads(cache_file.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(stored, dict) or stored.get("code") != fingerprint:
        return {}
    return stored.get("results", {})


def _save(cache_file, fingerprint, results):
    """Write beside, then rename: a reader in another process never sees half a file."""
    try:
        cache_file.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache_file.parent, suffix=".tmp")
        with os.fdopen(handle, "w") as out:
            json.dump({"code": fingerprint, "results": results}, out)
        os.replace(temporary, cache_file)
    except OSError:
        pass
