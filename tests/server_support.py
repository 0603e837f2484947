"""The app under gunicorn, as in production, for tests that need a real server process."""

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from tests.stripe_support import free_port

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def gunicorn_server(env: dict, *, workers: int = 1, access_log: Path | None = None) -> Iterator[str]:
    """Start gunicorn with `env` and the project's gunicorn.conf.py on a free port, yield its base URL, stop it
    afterwards. With `access_log`, gunicorn writes its access log to that file."""
    port = free_port()
    logging = ["--access-logfile", str(access_log)] if access_log else []
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "lumira.wsgi:application", "-c", str(ROOT / "gunicorn.conf.py"),
         "-b", f"127.0.0.1:{port}", "-w", str(workers), *logging],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_for(predicate, *, timeout: float = 20.0, what: str = "condition", log: Path | None = None):
    """Poll `predicate` until it returns something true (returned) or `timeout` passes (AssertionError with the
    tail of `log`, if given)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    tail = log.read_text()[-4000:] if log is not None and log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")
