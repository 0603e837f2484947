"""`make bench`: Lumira's endpoints under load, measured against the framework's own ceiling.

1. `lumira_bench_seed` is seeded once with 100k orders (kept while its seed mark matches; --fresh rebuilds
   it), and every run works on `lumira_bench`, a fresh copy of it (the webhooks pay pending orders).
2. A Stripe stand-in answers dj-stripe's PaymentIntent retrievals (bench/stripe_standin.py); the app runs
   under gunicorn with production settings (DEBUG off); wrk loads it from a second process on loopback.
3. Each endpoint is measured for requests/s, p50 and p99, CPU per request of the app's processes, and SQL
   queries per request (counted in-process with the same settings), then compared with the ceiling (a
   bare JSON view doing one primary-key lookup, lumira/bench_views.py) measured beside it, in slices
   interleaved with the endpoint's.
4. `--profile KEY,...` samples the gunicorn workers with py-spy during a warm-up of those endpoints.
5. The deliverables (bench/deliverables.py): a level-4 VIP reading's PDF, a 60-minute offer's audio (espeak).
Results: a table on stdout and bench/results.json. Every process started here is stopped at the end,
also on error, Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.scenarios import Endpoint

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DB_NAME = os.environ.get("BENCH_DATABASE_NAME", "lumira_bench")
SEED_DB_NAME = f"{DB_NAME}_seed"  # the seeded original; each run works on a copy (see prepare_database)
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
BENCH_REDIS_URL = "redis://127.0.0.1:6379/9"
# Bump when seed_bench_data changes what it writes: a seed with another mark is rebuilt.
SEED_VERSION = 3


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
        # A fixed Fernet key for the bench database only (it holds made-up clients).
        "FIELD_ENCRYPTION_KEYS": os.environ.get("BENCH_FIELD_ENCRYPTION_KEY", "YmVuY2gtb25seS1maWVsZC1rZXktMDAwMDAwMDAwMDA="),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": DATABASE_URL,
        "CACHE_URL": BENCH_REDIS_URL,
        "CELERY_BROKER_URL": BENCH_REDIS_URL,
        "LUMIRA_BENCH": "true",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Shaped like a Stripe key (dj-stripe checks the shape); only the local stand-in ever sees it.
        "STRIPE_TEST_SECRET_KEY": "sk_test_bench000000000000000000000000",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_bench",
        "N8N_WEBHOOK_SECRET": "bench-n8n-webhook",
        "N8N_CALLBACK_SECRET": "bench-n8n-callback",
        # Required in production settings; nothing in the bench starts a generation, so nothing calls it.
        "N8N_WEBHOOK_URL": "http://127.0.0.1:9/n8n-not-used",
    })
    env.update(extra or {})
    return env


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-tAc", sql],
        check=True, capture_output=True, text=True,
    ).stdout.strip()


def manage(*args: str, env: dict) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def _seed_mark(orders: int) -> str:
    return f"lumira bench seed v{SEED_VERSION}, {orders} orders"


def prepare_database(env: dict, *, orders: int, fresh: bool) -> None:
    """Seed SEED_DB_NAME once (reused while its mark matches), then give each run a fresh copy of it as
    DB_NAME: the webhooks pay thousands of pending orders, and the next run must find them pending again."""
    seed_env = {**env, "DATABASE_URL": DATABASE_URL.replace(f"/{DB_NAME}", f"/{SEED_DB_NAME}")}
    mark = psql(f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{SEED_DB_NAME}'")
    if mark == _seed_mark(orders) and not fresh:
        print(f"[bench] reusing the seeded {SEED_DB_NAME} ({orders} orders); --fresh to rebuild it")
        manage("migrate", "-v", "0", env=seed_env)
    else:
        psql(f"DROP DATABASE IF EXISTS {SEED_DB_NAME} WITH (FORCE)")
        psql(f"CREATE DATABASE {SEED_DB_NAME}")
        print(f"[bench] migrating {SEED_DB_NAME}")
        manage("migrate", "-v", "0", env=seed_env)
        print("[bench] seeding")
        started = time.monotonic()
        manage("seed_bench_data", "--orders", str(orders), env=seed_env)
        print(f"[bench] seed took {time.monotonic() - started:.1f} s")
        # Marked only once complete: an interrupted seed is never reused.
        psql(f"COMMENT ON DATABASE {SEED_DB_NAME} IS '{_seed_mark(orders)}'")
    started = time.monotonic()
    psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")  # the bench's own database: a crashed run's sessions go
    psql(f"CREATE DATABASE {DB_NAME} TEMPLATE {SEED_DB_NAME} STRATEGY FILE_COPY")
    print(f"[bench] {DB_NAME}: a fresh copy of {SEED_DB_NAME} ({time.monotonic() - started:.1f} s)")


def flush_bench_redis() -> None:
    """The bench's own Redis database (cache and Celery broker): no stale cache, no queue left from before."""
    import redis

    redis.Redis.from_url(BENCH_REDIS_URL).flushdb()


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


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = next((line.split(":", 1)[1].strip() for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "")
    return {"nproc": os.cpu_count(), "cpu": model, "memory": memory, "platform": platform.platform(),
            "python": platform.python_version()}


def _terminate(signum, frame):  # SIGTERM: unwind through the finally blocks, which stop every process
    raise SystemExit(128 + signum)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
    parser.add_argument("--rounds", type=int, default=3,
                        help="slices each endpoint's measure is cut into, each after a ceiling slice as long")
    parser.add_argument("--ceiling-slice", type=int, default=5, help="seconds of the ceiling before and after webhooks")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2)
    parser.add_argument("--fresh", action="store_true", help="drop and reseed the bench database")
    parser.add_argument("--only", help="comma-separated endpoint keys (the ceiling is always measured): "
                        "landing, webhooks, queue-api, desk, validation-api, dashboard, status-api")
    parser.add_argument("--profile", default="", help="comma-separated endpoint keys to sample with py-spy "
                        "during a warm-up as long as the measure (summary printed; raw stacks in bench/profiles/)")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args()

    if not shutil.which("wrk"):
        print("[bench] wrk is missing: apt-get install wrk", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _terminate)
    started = time.monotonic()
    processes = Processes()
    try:
        return run(args, processes, started)
    finally:
        processes.stop_all()
        with contextlib.suppress(Exception):
            flush_bench_redis()  # the queued "paid" emails and cached pages of this run


def run(args: argparse.Namespace, processes: Processes, started: float) -> int:
    standin, stripe_base = start_stripe_standin(processes, free_port())
    print(f"[bench] Stripe API: a local stand-in at {stripe_base} (bench/stripe_standin.py) answers dj-stripe's "
          "PaymentIntent retrievals (not localstripe: see its docstring)")
    env = bench_env({"STRIPE_API_BASE": stripe_base})
    prepare_database(env, orders=args.orders, fresh=args.fresh)
    flush_bench_redis()
    manage("collectstatic", "--noinput", "-v", "0", env=env)

    # The same settings in this process, to build fixtures (tokens, sessions, signed events) and count queries.
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench import scenarios

    workdir = Path(tempfile.mkdtemp(prefix="lumira-bench-"))
    try:
        return measure_all(args, processes, started, scenarios.Context(
            workdir=workdir, env=env, threads=args.threads, stripe_base=stripe_base), standin)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def measure_all(args: argparse.Namespace, processes: Processes, started: float, context, standin) -> int:
    from bench import scenarios

    env = context.env
    port = free_port()
    gunicorn = start_gunicorn(processes, env, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    wrk_options = {"connections": args.connections, "threads": args.threads,
                   "app_pids": app_pids_finder(gunicorn, standin)}
    results: list[Result] = []
    endpoints = scenarios.endpoints(context)
    ceiling_endpoint, endpoints = endpoints[0], endpoints[1:]
    if args.only:
        endpoints = [e for e in endpoints if e.key in set(args.only.split(","))]
    measures: list[Measure] = []
    profiled = set(filter(None, args.profile.split(",")))
    profiles: dict[str, str] = {}

    # The ceiling is measured next to every endpoint, interleaved slice by slice (ceiling, endpoint, ceiling,
    # endpoint...), and each endpoint is compared with the ceiling slices of its own turn: other work on a
    # shared machine then weighs on both alike.
    ceiling_slices: list[Measure] = []

    def ceiling_run(seconds: float) -> Measure:
        measures.append(run_wrk(base, ceiling_endpoint, duration=seconds, **wrk_options))
        ceiling_slices.append(measures[-1])
        return measures[-1]

    def endpoint_run(endpoint, seconds: float) -> Measure:
        measures.append(run_wrk(base, endpoint, duration=seconds, **wrk_options))
        return measures[-1]

    ceiling_queries, _ = scenarios.count_queries(ceiling_endpoint)
    run_wrk(base, ceiling_endpoint, duration=2, **wrk_options)  # warm-up
    for endpoint in endpoints:
        queries, queries_note = scenarios.count_queries(endpoint)
        if endpoint.prepare:
            endpoint.prepare("warmup")
        # A profiled endpoint is sampled during a longer warm-up, so that py-spy never slows the measure itself.
        profiling = endpoint.key in profiled
        sampler = start_profiler(processes, gunicorn, endpoint, args.duration) if profiling else None
        warm_rps = run_wrk(base, endpoint, duration=args.duration if profiling else 2, **wrk_options).rps
        if sampler:
            profiles[endpoint.name] = finish_profiler(*sampler)
        duration = float(args.duration)
        if endpoint.max_requests:
            # Requests that are used up (one webhook per order): one run, no longer than the pool lasts,
            # between two ceiling slices.
            duration = max(2.0, min(duration, endpoint.max_requests() / (warm_rps * 1.3)))
            around = [ceiling_run(args.ceiling_slice)]
            endpoint.prepare("measure")
            runs = [endpoint_run(endpoint, duration)]
            around.append(ceiling_run(args.ceiling_slice))
        else:
            around, runs = [], []
            for _ in range(args.rounds):
                around.append(ceiling_run(duration / args.rounds))
                runs.append(endpoint_run(endpoint, duration / args.rounds))
        measure, ceiling_here = combine(runs), combine(around)
        note = endpoint.verify() if endpoint.verify else endpoint.note
        note = "; ".join(part for part in (note, queries_note) if part)
        result = Result(endpoint.name, measure.rps, measure.p50, measure.p99, queries, non_2xx=measure.non_2xx,
                        duration_s=round(duration), note=note, cpu_ms_per_request=measure.cpu_ms,
                        ceiling_rps=ceiling_here.rps, ceiling_p99_ms=ceiling_here.p99)
        result.ratio_to_ceiling = measure.rps / ceiling_here.rps if ceiling_here.rps else 0.0
        result.p99_to_ceiling = measure.p99 / ceiling_here.p99 if ceiling_here.p99 else 0.0
        result.target = scenarios.target_verdict(endpoint, result)
        results.append(result)
        print(f"[bench] {endpoint.name}: {measure.rps:.0f} req/s ({result.ratio_to_ceiling:.0%} of the ceiling "
              f"beside it, {ceiling_here.rps:.0f}), p50 {measure.p50:.1f} ms, p99 {measure.p99:.1f} ms, "
              f"{queries} queries, {measure.cpu_ms:.2f} CPU ms per request")

    overall = combine(ceiling_slices)
    rates = [c.rps for c in ceiling_slices]
    ceiling = Result(
        "ceiling", overall.rps, overall.p50, overall.p99, ceiling_queries, non_2xx=overall.non_2xx,
        duration_s=round(sum(c.seconds for c in ceiling_slices)), cpu_ms_per_request=overall.cpu_ms,
        ceiling_rps=overall.rps, ceiling_p99_ms=overall.p99, ratio_to_ceiling=1.0, p99_to_ceiling=1.0,
        note=f"{ceiling_endpoint.note}; {len(rates)} slices next to the endpoints, {min(rates):.0f}–{max(rates):.0f} req/s",
    )
    results.insert(0, ceiling)
    # What other work took from the machine while wrk ran (neither the app, PostgreSQL for it, nor wrk).
    measured = sum(m.seconds for m in measures)
    others = sum(m.other_cpu_s for m in measures) / (measured * (os.cpu_count() or 1)) if measured else 0.0
    for name, summary in profiles.items():
        print(f"\n[bench] profile of {name} (py-spy, gunicorn workers, CPU only):\n{summary}")
    print_table(results)
    from bench.charts import chart_rate, report_line

    charts = chart_rate()
    print(report_line(charts))
    from bench.compose import compose_timing
    from bench.compose import report_line as compose_report_line

    composing = compose_timing()
    print(compose_report_line(composing))
    from bench.deliverables import deliverables_bench, print_deliverables

    deliverables = deliverables_bench()
    print_deliverables(deliverables)
    print(f"[bench] other processes used {others:.0%} of the machine's {os.cpu_count()} CPUs while wrk ran "
          "(they lower every figure; the ratios, measured against the ceiling beside each endpoint, less so)")
    generation = generation_costs()
    report = {
        "generation": generation,
        "machine": {**machine(), "other_processes_cpu_share": round(others, 3)},
        "settings": {"orders": args.orders, "duration_s": args.duration, "connections": args.connections,
                     "wrk_threads": args.threads, "gunicorn_workers": args.workers, "rounds": args.rounds,
                     "stripe_api": "local stand-in (bench/stripe_standin.py)"},
        "results": [asdict(r) for r in results],
        "charts": charts,
        "compose": composing,
        "deliverables": deliverables,
        "profiles": profiles,
    }
    Path(args.output).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    missed = [r.name for r in results if r.target.startswith("MISS")]
    print(f"[bench] targets: {sum(r.target == 'ok' for r in results)} met, {len(missed)} missed"
          + (f" ({', '.join(missed)})" if missed else ""))
    print(f"[bench] written to {args.output} ({time.monotonic() - started:.0f} s in all)")
    # A missed target is a finding to read in the table, not a failure of the bench: exit 0.
    return 0


# Rough token counts for an estimate of what a hosted model would cost (French: ~1.5 tokens per word, ~4
# characters per token of prompt); the recorded AI runs give the real figures.
TOKENS_PER_WORD = 1.5
CHARS_PER_TOKEN = 4


def generation_costs() -> dict:
    """Cost per reading: the local writer measured (0 EUR, its latency), and an estimate per priced model."""
    from django.conf import settings

    from experts.generation_request import generation_request_for
    from experts.writers import local
    from experts.writers.base import estimated_cost_eur
    from orders.models import Level, Order

    rows = []
    for level in Level:
        for service, duration in (("basic", 30), ("premium", 60), ("vip", 90)):
            order = Order(level=level, service=service, duration=duration, client_name="Camille Banc")
            request = generation_request_for(order)
            started = time.perf_counter()
            local.write(order=order, attempt=None, request=request)
            latency_ms = (time.perf_counter() - started) * 1000
            prompt = sum(len(message["content"]) for message in request.messages) // CHARS_PER_TOKEN
            completion = round(request.target_words * TOKENS_PER_WORD * (1.4 if level >= 2 else 1.0))
            rows.append({
                "level": int(level), "service": service, "local_ms": round(latency_ms, 1), "local_eur": 0.0,
                "estimated_prompt_tokens": prompt, "estimated_completion_tokens": completion,
                "estimated_eur": {model: float(estimated_cost_eur(model, prompt, completion))
                                  for model in settings.LLM_PRICES if model != "local"},
            })
    models = [model for model in settings.LLM_PRICES if model != "local"]
    print(f"\n{'reading':<16} {'local ms':>8} {'local €':>7}  " + " ".join(f"{m[:20]:>20}" for m in models))
    for row in rows:
        costs = " ".join(f"{row['estimated_eur'][m]:>19.4f}€" for m in models)
        print(f"{row['level']}/{row['service']:<14} {row['local_ms']:>8.1f} {0:>7.2f}  {costs}")
    print("[bench] cost per reading: the local writer measured; hosted models estimated from the request's size "
          "and the tier's target length (LLM_PRICES); the AI runs on the desk record the real tokens")
    return {"per_reading": rows, "prices_eur_per_million_tokens": settings.LLM_PRICES}


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


if __name__ == "__main__":
    sys.exit(main())
