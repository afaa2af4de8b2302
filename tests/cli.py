"""Run the project's command line as a user does: `flask ...` or `python manage.py ...`.

`copy_project` gives a test its own copy of the project, so that it can change
models and write revisions without touching this checkout.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ["project", "migrations", "tests", "manage.py", ".flaskenv", "setup.cfg"]

# Settings a developer's shell or .env may hold; each test states its own.
ISOLATED_SETTINGS = ["APP_ENV", "SECRET_KEY", "DATABASE_URL", "FLASK_DEBUG"]


def run_cli(*args, cwd=REPO_ROOT, env=None, via="flask", input=None, stdin=None, timeout=120):
    """Run one command to its end and return the CompletedProcess, with text output.

    `input` is text for a piped stdin; `stdin`, a file descriptor (a pseudo-terminal's, say).
    """
    return subprocess.run(
        command_line(args, via), cwd=cwd, env=environment(env), capture_output=True,
        text=True, input=input, stdin=stdin, timeout=timeout,
    )


def start_cli(*args, cwd=REPO_ROOT, env=None):
    """Start `flask ARGS` and return the running Popen; its output comes back as text."""
    return subprocess.Popen(
        command_line(args, "flask"), cwd=cwd, env=environment(env), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def command_line(args, via):
    if via == "flask":
        return [str(Path(sys.executable).with_name("flask")), *args]
    return [sys.executable, "manage.py", *args]


def environment(settings):
    return {
        **{k: v for k, v in os.environ.items() if k not in ISOLATED_SETTINGS},
        **(settings or {}),
    }


def copy_project(destination):
    """Copy the project's sources into `destination`; `flask` run there imports the copy."""
    destination = Path(destination)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "instance")
    for name in PROJECT_FILES:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)
    return destination
