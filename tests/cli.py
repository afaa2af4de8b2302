"""Run the project's command line as a user does: `flask ...` or `python manage.py ...`.

A command runs in a forked child of a warm interpreter (tests/command_server.py):
the same exit status, output, terminal and prompts as a newly started command,
for a fraction of its cost. `end_to_end=True` starts the real `flask` executable
or `python manage.py` instead, for the tests whose point is the entry point itself.

`copy_project` gives a test its own copy of the project, so that it can change
models and write revisions without touching this checkout.
"""
import atexit
import locale
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.command_server import CommandServer

REPO_ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ["project", "migrations", "tests", "manage.py", ".flaskenv", "setup.cfg"]

# Settings a developer's shell or .env may hold; each test states its own.
ISOLATED_SETTINGS = ["APP_ENV", "SECRET_KEY", "DATABASE_URL", "FLASK_DEBUG"]


def run_cli(*args, cwd=REPO_ROOT, env=None, via="flask", input=None, stdin=None, timeout=120,
            end_to_end=False):
    """Run one command to its end and return the CompletedProcess, with text output.

    `input` is text for a piped stdin; `stdin`, a file descriptor (a pseudo-terminal's, say);
    with neither, the command has the test process's stdin, as a subprocess would.
    """
    if end_to_end or read_at_interpreter_start(env):
        return subprocess.run(
            command_line(args, via), cwd=cwd, env=environment(env), capture_output=True,
            text=True, input=input, stdin=stdin, timeout=timeout,
        )
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        if input is None:
            status = command_server().run(
                command_line(args, via), via, cwd, environment(env),
                0 if stdin is None else stdin, out.fileno(), err.fileno(), timeout,
            )
        else:
            status = run_with_piped_input(args, via, cwd, env, input, out, err, timeout)
        return subprocess.CompletedProcess(command_line(args, via), status,
                                           as_text(out), as_text(err))


def read_at_interpreter_start(settings):
    """PYTHONPROFILEIMPORTTIME and its kind act when an interpreter starts, which a forked
    child does not: a command given one runs in a new interpreter."""
    return any(name.startswith("PYTHON") for name in settings or {})


def run_with_piped_input(args, via, cwd, env, input, out, err, timeout):
    read_end, write_end = os.pipe()
    try:
        with open(write_end, "w") as pipe:
            # A pipe holds 64 KiB: more than a test types, so the write cannot block.
            pipe.write(input)
        return command_server().run(command_line(args, via), via, cwd, environment(env),
                                    read_end, out.fileno(), err.fileno(), timeout)
    finally:
        os.close(read_end)


def as_text(file):
    """What the command wrote, decoded as subprocess.run(text=True) decodes it: the locale's
    encoding, universal newlines."""
    file.seek(0)
    text = file.read().decode(locale.getpreferredencoding(False))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def start_cli(*args, cwd=REPO_ROOT, env=None):
    """Start `flask ARGS` and return the running Popen; its output comes back as text."""
    return subprocess.Popen(
        command_line(args, "flask"), cwd=cwd, env=environment(env), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


class Followed:
    """A command started with start_cli whose stderr is read as it comes (a thread drains each
    pipe), for a test that acts on what the command has said so far."""

    def __init__(self, process):
        self.process = process
        self.lines = []
        self.readers = [threading.Thread(target=self._read, args=(process.stderr, self.lines)),
                        threading.Thread(target=self._read, args=(process.stdout, []))]
        for reader in self.readers:
            reader.start()

    @staticmethod
    def _read(pipe, lines):
        for line in pipe:
            lines.append(line)

    def stderr(self):
        return "".join(self.lines)

    def finish(self, timeout=120):
        """(exit status, stderr) once the command has ended."""
        self.process.wait(timeout=timeout)
        for reader in self.readers:
            reader.join()
        self.process.stdout.close()
        self.process.stderr.close()
        return self.process.returncode, self.stderr()


def wait_until(condition, what, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def command_line(args, via):
    if via == "flask":
        return [str(Path(sys.executable).with_name("flask")), *args]
    return [sys.executable, "manage.py", *args]


def environment(settings):
    return {
        **{k: v for k, v in os.environ.items() if k not in ISOLATED_SETTINGS},
        **(settings or {}),
    }


_servers = []


def command_server():
    """This test process's command server, started at its first command."""
    if not _servers or not _servers[0].alive():
        _servers[:] = [CommandServer(environment(None))]
        atexit.register(_servers[0].close)
    return _servers[0]


def copy_project(destination, root=REPO_ROOT):
    """Copy the project's sources (this checkout's, or another copy's at `root`) into
    `destination`; `flask` run there imports the copy."""
    destination = Path(destination)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "instance")
    for name in PROJECT_FILES:
        source = Path(root) / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)
    return destination
