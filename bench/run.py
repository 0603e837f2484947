"""`make bench`: Lumira's endpoints under load, measured against the framework's own ceiling.

1. `lumira_bench_seed` is seeded once with --orders (100k; bench/seed.py, kept while its seed mark matches;
   --fresh rebuilds it), and every run works on `lumira_bench`, a fresh copy of it (bench/database.py).
2. A Stripe stand-in answers dj-stripe's PaymentIntent retrievals (bench/stripe_standin.py); the app runs
   under gunicorn with production settings (DEBUG off); wrk loads it from a second process on loopback.
3. Each endpoint is measured for requests/s, p50 and p99, CPU per request of the app's processes, and SQL
   queries per request (counted in-process with the same settings), then compared with the ceiling (a
   bare JSON view doing one primary-key lookup, bench/views.py) measured beside it, in slices
   interleaved with the endpoint's.
4. `--profile KEY,...` samples the gunicorn workers with py-spy during a warm-up of those endpoints.
   The scenarios (bench/scenarios.py, bench/webhooks.py) use the subjects the seed names (bench/subjects.py),
   so they run alike at any size.
5. The deliverables (bench/deliverables.py): a level-4 VIP reading's PDF, a 60-minute offer's audio (espeak).
Results: a table on stdout and bench/results.json. Every process started here is stopped at the end,
also on error, Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.database import ROOT, bench_env, flush_bench_redis, manage, prepare_database
from bench.measure import Measure, Result, app_pids_finder, combine, machine, print_table, run_wrk
from bench.processes import (
    Processes,
    finish_profiler,
    free_port,
    start_gunicorn,
    start_profiler,
    start_stripe_standin,
)


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
    parser.add_argument("--seed-only", action="store_true", help="prepare the seeded database, then stop")
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
    if args.seed_only:
        return 0
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
    from bench.endpoint import count_queries, target_verdict

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

    ceiling_queries, _ = count_queries(ceiling_endpoint)
    run_wrk(base, ceiling_endpoint, duration=2, **wrk_options)  # warm-up
    for endpoint in endpoints:
        queries, queries_note = count_queries(endpoint)
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
        result.target = target_verdict(endpoint, result)
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
    from bench.counts import print_counts, queue_counts

    counts = queue_counts()
    print_counts(counts)
    from bench.costs import generation_costs

    generation = generation_costs()
    report = {
        "generation": generation,
        "machine": {**machine(), "other_processes_cpu_share": round(others, 3)},
        "settings": {"orders": args.orders, "duration_s": args.duration, "connections": args.connections,
                     "wrk_threads": args.threads, "gunicorn_workers": args.workers, "rounds": args.rounds,
                     "stripe_api": "local stand-in (bench/stripe_standin.py)"},
        "results": [asdict(r) for r in results],
        "charts": charts,
        "queue_counts": counts,
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


if __name__ == "__main__":
    sys.exit(main())
