"""`make bench`: Lumira's endpoints under load, measured against the framework's own ceiling.

1. A PostgreSQL database `lumira_bench` is seeded with 100k orders (reused when it is already seeded).
2. The app runs under gunicorn with production settings (DEBUG off); wrk loads it from a second process.
3. Each endpoint is measured for requests/s, p50 and p99, and its SQL queries per request (counted
   in-process with the same settings), then compared with the ceiling: a bare JSON view doing one
   primary-key lookup (lumira/bench_views.py).
Results: a table on stdout and bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.scenarios import Endpoint

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DB_NAME = os.environ.get("BENCH_DATABASE_NAME", "lumira_bench")
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "lumira.settings",
        "LUMIRA_ENV": "prod",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "bench-" + "k" * 60),
        "FIELD_ENCRYPTION_SALT": "bench-salt",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": DATABASE_URL,
        "CACHE_URL": "redis://127.0.0.1:6379/9",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/9",
        "LUMIRA_BENCH": "true",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "STRIPE_TEST_SECRET_KEY": "sk_test_bench",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_bench",
        "N8N_WEBHOOK_SECRET": "bench-n8n-webhook",
        "N8N_CALLBACK_SECRET": "bench-n8n-callback",
        # Required in production settings; nothing in the bench starts a generation, so nothing calls it.
        "N8N_WEBHOOK_URL": "http://127.0.0.1:9/n8n-not-used",
    })
    env.update(extra or {})
    return env


def psql(sql: str) -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def manage(*args: str, env: dict) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(env: dict, *, orders: int, fresh: bool) -> None:
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'") == "1"
    if exists and not fresh:
        seeded = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB_NAME, "-tAc", "SELECT count(*) FROM orders_order"],
            capture_output=True, text=True,
        ).stdout.strip()
        if seeded == str(orders):
            print(f"[bench] reusing {DB_NAME} ({seeded} orders); --fresh to rebuild")
            manage("migrate", "-v", "0", env=env)
            return
    psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    psql(f"CREATE DATABASE {DB_NAME}")
    print("[bench] migrating")
    manage("migrate", "-v", "0", env=env)
    print("[bench] seeding")
    started = time.monotonic()
    manage("seed_bench_data", "--orders", str(orders), env=env)
    print(f"[bench] seed took {time.monotonic() - started:.1f} s")


@dataclass
class Result:
    name: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    queries: int | None
    ratio_to_ceiling: float = 0.0
    non_2xx: int = 0
    note: str = ""


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(base: str, endpoint: Endpoint, *, duration: int, connections: int, threads: int) -> tuple[float, float, float, int]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for key, value in endpoint.headers.items():
        command += ["-H", f"{key}: {value}"]
    if endpoint.lua:
        command += ["-s", endpoint.lua]
    command.append(base + endpoint.path)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rps, p50, p99, int(non_2xx.group(1)) if non_2xx else 0


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "lumira.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", str(workers),
         "--worker-class", "sync", "--log-level", "warning", "--keep-alive", "5"],
        cwd=ROOT, env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2)
    parser.add_argument("--fresh", action="store_true", help="drop and reseed the bench database")
    parser.add_argument("--only", help="comma-separated endpoint names")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args()

    if not shutil.which("wrk"):
        print("[bench] wrk is missing: apt-get install wrk", file=sys.stderr)
        return 1
    env = bench_env()
    prepare_database(env, orders=args.orders, fresh=args.fresh)
    manage("collectstatic", "--noinput", "-v", "0", env=env)

    # The same settings in this process, to build fixtures (tokens, sessions, signed events) and count queries.
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench import scenarios

    workdir = Path(tempfile.mkdtemp(prefix="lumira-bench-"))
    context = scenarios.Context(workdir=workdir, env=env)
    side_services = scenarios.start_side_services(context)
    port = free_port()
    server = start_gunicorn(context.env, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    results: list[Result] = []
    try:
        endpoints = scenarios.endpoints(context)
        if args.only:
            wanted = set(args.only.split(",")) | {"ceiling"}
            endpoints = [e for e in endpoints if e.name in wanted]
        for endpoint in endpoints:
            queries = scenarios.count_queries(endpoint)
            run_wrk(base, endpoint, duration=2, connections=args.connections, threads=args.threads)  # warm-up
            scenarios.before_measure(context, endpoint)
            rps, p50, p99, non_2xx = run_wrk(
                base, endpoint, duration=args.duration, connections=args.connections, threads=args.threads
            )
            note = scenarios.after_measure(context, endpoint) or endpoint.note
            results.append(Result(endpoint.name, rps, p50, p99, queries, non_2xx=non_2xx, note=note))
            print(f"[bench] {endpoint.name}: {rps:.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, {queries} queries")
    finally:
        server.terminate()
        server.wait(timeout=10)
        for process in side_services:
            process.terminate()

    ceiling = next(r for r in results if r.name == "ceiling")
    for result in results:
        result.ratio_to_ceiling = result.requests_per_s / ceiling.requests_per_s if ceiling.requests_per_s else 0.0
    print_table(results, ceiling)
    report = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "settings": {"orders": args.orders, "duration_s": args.duration, "connections": args.connections,
                     "wrk_threads": args.threads, "gunicorn_workers": args.workers},
        "results": [asdict(r) for r in results],
    }
    Path(args.output).write_text(json.dumps(report, indent=2))
    print(f"[bench] written to {args.output}")
    return 0


def print_table(results: list[Result], ceiling: Result) -> None:
    header = f"{'endpoint':<28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'queries':>8} {'÷ceiling':>9} {'p99÷ceil':>9}"
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        p99_ratio = r.p99_ms / ceiling.p99_ms if ceiling.p99_ms else 0
        queries = "-" if r.queries is None else str(r.queries)
        print(f"{r.name:<28} {r.requests_per_s:>8.0f} {r.p50_ms:>8.1f} {r.p99_ms:>8.1f} {queries:>8} "
              f"{r.ratio_to_ceiling:>8.0%} {p99_ratio:>8.1f}x" + (f"  {r.note}" if r.note else ""))
        if r.non_2xx:
            print(f"{'':<28} !! {r.non_2xx} non-2xx responses")


if __name__ == "__main__":
    sys.exit(main())
