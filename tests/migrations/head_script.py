"""The script at the head of a project copy's history, found by the revision graph.

Not by file name: two revisions written in the same minute sort by their
random ids.
"""
from pathlib import Path

from alembic.script import ScriptDirectory


def head_script_path(project):
    scripts = ScriptDirectory(str(project.versions.parent))
    return Path(scripts.get_revision(scripts.get_current_head()).path)


def head_script(project):
    return head_script_path(project).read_text()
