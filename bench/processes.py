"""The processes the bench starts (gunicorn, the Stripe stand-in, py-spy), all stopped at the end."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench.database import BIN, ROOT

if TYPE_CHECKING:
    from bench.endpoint import Endpoint


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Processes:
    """Every process the bench starts, stopped at the end whatever happens (error, Ctrl-C, SIGTERM)."""

    def __init__(self) -> None:
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], **kwargs) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=ROOT, **kwargs)
        self.running.append((name, process))
        return process

    def stop_all(self) -> None:
        while self.running:
            name, process = self.running.pop()
            if process.poll() is None:
                process.terminate()  # gunicorn: graceful stop of the master and its workers
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    print(f"[bench] {name} did not stop: killing it", file=sys.stderr)
                    process.kill()
                    process.wait(timeout=5)


def wait_for_port(process: subprocess.Popen, port: int, name: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited at start ({process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{name} did not start")


def start_gunicorn(processes: Processes, env: dict, port: int, workers: int) -> subprocess.Popen:
    process = processes.start(
        "gunicorn",
        [str(BIN / "gunicorn"), "lumira.wsgi:application", "-c", str(ROOT / "gunicorn.conf.py"),
         "-b", f"127.0.0.1:{port}", "-w", str(workers),
         "--worker-class", "sync", "--log-level", "warning", "--keep-alive", "5", "--backlog", "2048"],
        env=env,
    )
    wait_for_port(process, port, "gunicorn")
    return process


def start_stripe_standin(processes: Processes, port: int) -> tuple[subprocess.Popen, str]:
    process = processes.start(
        "stripe stand-in", [str(BIN / "python"), "-m", "bench.stripe_standin", "--port", str(port)],
    )
    wait_for_port(process, port, "the Stripe stand-in")
    return process, f"http://127.0.0.1:{port}"


def start_profiler(processes: Processes, gunicorn: subprocess.Popen, endpoint: Endpoint, duration: float):
    """py-spy on gunicorn's workers for the length of the measure (raw stacks, full file names)."""
    folder = ROOT / "bench" / "profiles"
    folder.mkdir(exist_ok=True)
    raw = folder / f"{endpoint.key}.txt"
    command = [str(BIN / "py-spy"), "record", "--pid", str(gunicorn.pid), "--subprocesses", "--rate", "250",
               "--duration", str(max(1, round(duration))), "--format", "raw", "--full-filenames", "--gil",
               "--output", str(raw)]
    process = processes.start("py-spy", command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return process, raw


def finish_profiler(process: subprocess.Popen, raw: Path) -> str:
    from bench.profile import summarise

    _, errors = process.communicate(timeout=60)
    if process.returncode != 0 or not raw.exists():
        return f"py-spy failed ({process.returncode}): {errors.decode(errors='replace')[-500:]}"
    return summarise(raw) + f"\n  raw stacks: {raw.relative_to(ROOT)}"


