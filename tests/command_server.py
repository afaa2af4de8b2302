"""Run `flask ARGS` or `python manage.py ARGS` in a forked child of a warm, pristine process.

A new interpreter costs the tests over a second of CPU a command, nearly all of it
importing Flask, SQLAlchemy, Alembic and sqlglot again. This module, started once
per test process as a script, is a fresh interpreter that imports those libraries
(never the project) and then forks one child per command. The child is what a
freshly started command is: its own working directory, environment and
sys.argv, the project imported from that directory (a scratch copy with edited
models imports the copy), the default warning filters and logging of a new
interpreter, and the caller's file descriptors as 0, 1 and 2, so that a pipe or a
pseudo-terminal is what click sees, exactly as for a user. The server reports
the child's pid and then its exit status, as `subprocess.run` would.

Forking the test process itself would not do: it has imported the project, whose
modules register their renderers and comparators with Alembic at import, and a
second import (of a copy) in the same process collides with the first.
"""
import atexit
import gc
import importlib
import io
import json
import os
import pkgutil
import runpy
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import traceback
import types
from importlib.machinery import SourceFileLoader
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FLASK_SCRIPT = Path(sys.executable).with_name("flask")
# Top-level names the project's code is imported under: a command imports them from its
# working directory; the server never imports them.
PROJECT_MODULES = {"project", "tests", "manage", "migrations", "wsgi"}
# The modules a command imports from its working directory: in these folders, and beside them.
PROJECT_PACKAGES = ["project", "migrations", "tests"]
# An environment and a command line fit in one datagram.
MESSAGE_SIZE = 1 << 20


class CommandServer:
    """The test process's side: start the server, send it commands."""

    def __init__(self, environment):
        self.connection, server_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with server_end:
            self.process = subprocess.Popen(
                [sys.executable, __file__, str(server_end.fileno())],
                pass_fds=[server_end.fileno()], cwd=REPO_ROOT, env=environment,
                stdin=subprocess.DEVNULL,
            )

    def run(self, command, via, cwd, env, stdin, stdout, stderr, timeout):
        """Run one command to its end; return its exit status (negative: the signal)."""
        request = json.dumps({"command": command, "via": via, "cwd": str(cwd), "env": env})
        socket.send_fds(self.connection, [request.encode()], [stdin, stdout, stderr])
        pid = self.receive(None)["pid"]
        answer = self.receive(timeout)
        if answer is None:
            os.kill(pid, signal.SIGKILL)
            self.receive(None)
            raise subprocess.TimeoutExpired(command, timeout)
        return answer["status"]

    def receive(self, timeout):
        ready, _, _ = select.select([self.connection], [], [], timeout)
        if not ready:
            return None
        message = self.connection.recv(MESSAGE_SIZE)
        if not message:
            raise RuntimeError("the command server has stopped; see the test's captured stderr")
        return json.loads(message)

    def close(self):
        self.connection.close()  # the server reads the end of its input, and exits
        self.process.wait()

    def alive(self):
        return self.process.poll() is None


def serve(connection):
    """The server's side: one child per request, answered with its pid and its exit status."""
    while True:
        message, descriptors, _, _ = socket.recv_fds(connection, MESSAGE_SIZE, 3)
        if not message:
            return
        pid = os.fork()
        if pid == 0:
            connection.close()
            become_the_command(json.loads(message), *descriptors)
        for descriptor in descriptors:
            os.close(descriptor)
        connection.send(json.dumps({"pid": pid}).encode())
        _, status = os.waitpid(pid, 0)
        connection.send(json.dumps({"status": os.waitstatus_to_exitcode(status)}).encode())


def become_the_command(request, stdin, stdout, stderr):
    """Run the command in this child, and end it as the interpreter ends a command (`end`).
    An uncaught exception other than SystemExit leaves the server's loop and ends the
    interpreter itself: the traceback, status 1, and the whole of its finalization."""
    for target, descriptor in enumerate((stdin, stdout, stderr)):
        os.dup2(descriptor, target)
        os.close(descriptor)
    reopen_standard_streams()
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # sys.path[0] and sys.argv as the interpreter sets them: the folder of the script that was
    # started, and the script as it was named (`flask`: its full path).
    via = request["via"]
    sys.path[0] = str(FLASK_SCRIPT.parent) if via == "flask" else request["cwd"]
    sys.argv = request["command"][1:] if via == "manage.py" else request["command"]
    try:
        if via == "flask":
            from flask.cli import main
            main()
        else:
            runpy.run_path("manage.py", run_name="__main__")
    except SystemExit as exit:
        end(exit.code)
    end(None)  # the command returned without exiting: the end of its script


def end(code):
    """End this child as the interpreter ends, `code` as sys.exit takes it, but without taking
    apart the modules it was forked with: that costs a command a twentieth of a second, and
    nothing outside the process sees it.

    What is seen outside is done as the interpreter does it: it waits for the threads that are
    not daemons (then, this child ends as the interpreter ends, whole), runs the exit handlers
    (logging flushes its handlers), and closes what the command left open: an SQLite
    connection checkpoints its WAL into the database file, a file writes out its buffer. All
    the command made is what the collector tracks: the server's own objects are frozen. (A
    connection to a database server ends with the process, as it ends when closed: the server
    sees it go, rolls back what it left open and releases its locks.)"""
    if any(thread.is_alive() and not thread.daemon for thread in threading.enumerate()
           if thread is not threading.main_thread()):
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    # Only what is to be closed is held here: SQLite closes a connection, and checkpoints, once
    # none of its statements is left, and a cursor holds one.
    databases = [thing for thing in gc.get_objects()
                 if isinstance(thing, (sqlite3.Cursor, sqlite3.Connection))]
    files = [thing for thing in gc.get_objects() if isinstance(thing, io.IOBase)]
    for layer in (sqlite3.Cursor, sqlite3.Connection):
        for database in databases:
            if isinstance(database, layer):
                database.close()
    # A text file writes out into its buffer, and a buffer into its file: outermost first.
    for layer in (io.TextIOBase, io.BufferedIOBase, io.RawIOBase):
        for file in files:
            if isinstance(file, layer):
                file.close()
    os._exit(status)


def reopen_standard_streams():
    """sys.stdin, stdout and stderr on the new 0, 1 and 2, buffered as the interpreter buffers
    them at start (stdout by line only on a terminal) and with its encodings."""
    streams = []
    for descriptor, old in enumerate((sys.stdin, sys.stdout, sys.stderr)):
        raw = io.FileIO(descriptor, "r" if descriptor == 0 else "w", closefd=False)
        buffered = io.BufferedReader(raw) if descriptor == 0 else io.BufferedWriter(raw)
        streams.append(io.TextIOWrapper(
            buffered, encoding=old.encoding, errors=old.errors,
            line_buffering=descriptor == 2 or (descriptor == 1 and raw.isatty()),
        ))
    sys.stdin, sys.stdout, sys.stderr = streams
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = streams


def preload_libraries():
    """Import every library the project imports, found by importing the project in a
    throw-away child: the server must not import the project itself."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        code = 0
        try:
            sys.path.insert(0, str(REPO_ROOT))
            import project
            for module in pkgutil.walk_packages(project.__path__, "project."):
                importlib.import_module(module.name)
            names = [name for name in sys.modules
                     if name.split(".")[0] not in PROJECT_MODULES and name != "__main__"]
            with open(write_end, "w") as pipe:
                pipe.write("\n".join(names))
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    with open(read_end) as pipe:
        names = pipe.read().split()
    os.waitpid(pid, 0)
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # a module that imports only in its package's context: not needed
            pass


def precompile_project():
    """Compile the project's modules once, here, for every child to import without compiling.

    A copy of the project has no __pycache__ (and PYTHONDONTWRITEBYTECODE forbids one
    anywhere), so each command would compile every module it imports again: a tenth of a
    second a command. The code is looked up by the source's bytes, so an edited module, or one
    a command has just written, is compiled as usual; it is given the importing file's name,
    the one thing compiling elsewhere changes."""
    compiled = {}
    paths = [*REPO_ROOT.glob("*.py"),
             *(path for name in PROJECT_PACKAGES for path in (REPO_ROOT / name).rglob("*.py"))]
    for path in paths:
        data = path.read_bytes()
        compiled[data] = compile(data, str(path), "exec", dont_inherit=True)
    compile_source = SourceFileLoader.source_to_code

    def source_to_code(loader, data, path, *, _optimize=-1):
        code = compiled.get(bytes(data)) if _optimize == -1 else None
        if code is None:
            return compile_source(loader, data, path, _optimize=_optimize)
        return named(code, path)

    SourceFileLoader.source_to_code = source_to_code


def named(code, filename):
    """`code`, and the functions and classes it defines, as compiled from `filename`."""
    constants = tuple(named(constant, filename) if isinstance(constant, types.CodeType)
                      else constant for constant in code.co_consts)
    return code.replace(co_filename=filename, co_consts=constants)


if __name__ == "__main__":
    # Not this file's folder (tests/, where `cli`, `mail`, `server` would shadow libraries' own
    # imports); each child sets its own first entry.
    sys.path[0] = str(FLASK_SCRIPT.parent)
    server_connection = socket.socket(fileno=int(sys.argv[1]))
    preload_libraries()
    precompile_project()
    # The libraries' objects, shared with every child, out of the collector's sight: a child's
    # collections and its exit would otherwise walk all of them, copying every page they touch
    # (a third of a second a command). What a child creates is collected as usual.
    gc.freeze()
    serve(server_connection)
