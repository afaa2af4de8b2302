"""A live gunicorn serving `wsgi:app` from this checkout, for tests that need real workers."""
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.cli import REPO_ROOT, environment


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def live_server(database_url, workers=4, settings=None):
    """Yield the base URL of gunicorn with `workers` workers on `database_url`; stop it after."""
    port = free_port()
    env = environment({"DATABASE_URL": database_url, "SECRET_KEY": "live-server-test-key",
                       **(settings or {})})
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    # A file, not a pipe: a pipe nobody reads would fill up and stall the server.
    with tempfile.TemporaryFile("w+") as log, subprocess.Popen(
        [gunicorn, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    ) as process:
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(base, process, log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_until_healthy(base, process, log, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn exited: {log.read()}")
        try:
            if httpx.get(base + "/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer /healthz in time")
