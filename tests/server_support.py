"""The app under gunicorn, as in production, for tests that need a real server process; and what the tests'
stand-in HTTP servers (n8n, OpenAI, Stripe) share: a quiet handler that answers in one call, served in a thread."""

import contextlib
import http.client
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self

from bench.processes import free_port

ROOT = Path(__file__).resolve().parent.parent


def suite_redis_url(spare: bool = False) -> str:
    """A Redis database of this test process's own, emptied by the tests that use it: TEST_REDIS_DB (2 unless
    set; conftest.py moves it for each pytest-xdist worker), or the one after it (`spare`) for a second broker."""
    return f"redis://127.0.0.1:6379/{int(os.environ.get('TEST_REDIS_DB', '2')) + spare}"


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
        _wait_until_answering(port, deadline=time.monotonic() + 90)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_answering(port: int, *, deadline: float) -> None:
    """Wait until a worker answers HTTP, not only until the master listens: on a loaded machine a worker can take
    longer to import the app than a test's request timeout. The probe's path is one no test counts in the log."""
    while time.monotonic() < deadline:
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=max(1.0, deadline - time.monotonic()))
        try:
            probe.request("GET", "/__server-ready__")
            probe.getresponse().read()
            return
        except (OSError, http.client.HTTPException):
            time.sleep(0.1)
        finally:
            probe.close()
    raise AssertionError(f"gunicorn on port {port} did not answer in time")


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


class StandInHandler(BaseHTTPRequestHandler):
    """A stand-in server's request handler: `reply` answers in one call; nothing is logged."""

    def reply(self, status: int, payload: bytes, content_type: str = "application/json") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout)

    def log_message(self, *args) -> None:
        pass


class StandInServer:
    """A stand-in HTTP server on 127.0.0.1: a subclass gives `handler()`, its StandInHandler class (which reads the
    stand-in's state). stop() frees the port (connections are refused); start() again listens on the same one."""

    def __init__(self) -> None:
        self.port = 0  # any free one at the first start()
        self._server: ThreadingHTTPServer | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def handler(self) -> type[StandInHandler]:
        raise NotImplementedError

    def start(self) -> Self:
        self._server = serve_in_thread(self.handler(), self.port)
        self.port = self._server.server_address[1]
        return self

    def stop(self) -> None:
        if self._server is not None:
            stop_serving(self._server)
            self._server = None


def serve_in_thread(handler: type[BaseHTTPRequestHandler], port: int = 0) -> ThreadingHTTPServer:
    """A threaded HTTP server on 127.0.0.1 (port 0: any free one), serving in a daemon thread."""
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


def stop_serving(server: ThreadingHTTPServer) -> None:
    """Stop `server` and free its port."""
    server.shutdown()
    server.server_close()
