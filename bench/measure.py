"""One wrk run measured: requests/s, latency percentiles, CPU of the app's processes per request.

The CPU figures come from /proc (no extra dependency); other work on the machine is measured too, as it
lowers every figure (the ratios to the ceiling measured beside each endpoint, less so).
"""

from __future__ import annotations

import os
import platform
import re
import resource
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bench.database import DB_NAME, psql

if TYPE_CHECKING:
    from bench.endpoint import Endpoint


@dataclass
class Result:
    name: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    queries: int | None
    ratio_to_ceiling: float = 0.0  # against the ceiling measured beside this endpoint (interleaved slices)
    p99_to_ceiling: float = 0.0
    ceiling_rps: float = 0.0
    ceiling_p99_ms: float = 0.0
    non_2xx: int = 0
    cpu_ms_per_request: float = 0.0
    duration_s: float = 0.0
    target: str = ""
    note: str = ""


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


@dataclass
class Measure:
    rps: float
    p50: float
    p99: float
    non_2xx: int
    requests: int
    cpu_ms: float  # CPU time of the app's processes (gunicorn workers, PostgreSQL backends, stand-in) per request
    seconds: float = 0.0  # wall time of the run
    other_cpu_s: float = 0.0  # CPU the rest of the machine used meanwhile (neither the app nor wrk)


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds of each process (from /proc: no extra dependency)."""
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        times[pid] = (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    return times


def combine(runs: list[Measure]) -> Measure:
    """Several wrk runs of one endpoint as one: rates over their summed run time, latency percentiles and CPU
    per request weighted by requests (an approximation for percentiles, close when the runs are alike)."""
    requests = sum(m.requests for m in runs)
    runtime = sum(m.requests / m.rps for m in runs if m.rps)

    def weighted(value) -> float:
        return sum(value(m) * m.requests for m in runs) / requests if requests else 0.0

    return Measure(
        rps=requests / runtime if runtime else 0.0, p50=weighted(lambda m: m.p50), p99=weighted(lambda m: m.p99),
        non_2xx=sum(m.non_2xx for m in runs), requests=requests, cpu_ms=weighted(lambda m: m.cpu_ms),
        seconds=sum(m.seconds for m in runs), other_cpu_s=sum(m.other_cpu_s for m in runs),
    )


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (all CPUs, from /proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / _CLOCK_TICKS


def run_wrk(base: str, endpoint: Endpoint, *, duration: float, connections: int, threads: int,
            app_pids: Callable[[], list[int]] = list) -> Measure:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency", "--timeout", "10s"]
    for key, value in endpoint.headers.items():
        command += ["-H", f"{key}: {value}"]
    if endpoint.lua:
        command += ["-s", endpoint.lua]
    command.append(base + endpoint.path)
    pids = app_pids()
    before, busy_before, wrk_before = cpu_seconds(pids), machine_busy_seconds(), resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    finished = subprocess.run(command, capture_output=True, text=True)
    after, busy_after, wrk_after = cpu_seconds(pids), machine_busy_seconds(), resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = time.monotonic() - started
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed ({finished.returncode}): {finished.stdout[-2000:]} {finished.stderr[-2000:]}")
    output = finished.stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    cpu = sum(after[pid] - before[pid] for pid in after if pid in before)
    wrk_cpu = (wrk_after.ru_utime + wrk_after.ru_stime) - (wrk_before.ru_utime + wrk_before.ru_stime)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return Measure(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50=_ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        p99=_ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        requests=requests,
        cpu_ms=1000 * cpu / requests if requests else 0.0,
        seconds=seconds,
        other_cpu_s=max(0.0, (busy_after - busy_before) - cpu - wrk_cpu),
    )


def app_pids_finder(gunicorn: subprocess.Popen, standin: subprocess.Popen) -> Callable[[], list[int]]:
    """The processes that serve a request: gunicorn's workers, this database's PostgreSQL backends, the stand-in."""

    def find() -> list[int]:
        workers = Path(f"/proc/{gunicorn.pid}/task/{gunicorn.pid}/children").read_text().split()
        backends = psql(f"SELECT pid FROM pg_stat_activity WHERE datname = '{DB_NAME}' AND pid <> pg_backend_pid()").split()
        return [int(pid) for pid in (*workers, *backends)] + [standin.pid]

    return find


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = next((line.split(":", 1)[1].strip() for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "")
    return {"nproc": os.cpu_count(), "cpu": model, "memory": memory, "platform": platform.platform(),
            "python": platform.python_version()}


def print_table(results: list[Result]) -> None:
    header = (f"{'endpoint':<34} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'queries':>7} {'CPU ms':>6} "
              f"{'ceiling':>7} {'÷ceiling':>8} {'p99÷ceil':>8}  target")
    print()
    print(header)
    print("-" * (len(header) + 24))
    for r in results:
        queries = "-" if r.queries is None else str(r.queries)
        print(f"{r.name:<34} {r.requests_per_s:>7.0f} {r.p50_ms:>7.1f} {r.p99_ms:>7.1f} {queries:>7} "
              f"{r.cpu_ms_per_request:>6.2f} {r.ceiling_rps:>7.0f} {r.ratio_to_ceiling:>8.0%} "
              f"{r.p99_to_ceiling:>7.1f}x  {r.target}")
        if r.note:
            print(f"{'':<36}{r.note}")
        if r.non_2xx:
            print(f"{'':<36}!! {r.non_2xx} non-2xx responses")
