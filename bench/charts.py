"""The reading engine's share of `make bench`: natal charts per second in one process (one core).

The ephemeris and gazetteer are loaded before the clock starts (once per process, as in the app); each
chart is a full one (known time and place: positions, speeds, houses, aspects, numbers). Runs alone too:
`.venv/bin/python bench/charts.py`.
"""

from __future__ import annotations

import contextlib
import sys
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.chart import BirthData, compute_chart
from engine.places import resolve_place

PLACES = ("Paris", "Lyon", "Saint-Denis (La Réunion)", "London", "New York", "Tokyo", "Montréal", "Dakar")


def births(count: int) -> list[BirthData]:
    places = [resolve_place(name) for name in PLACES]
    return [
        BirthData(date(1930, 1, 1) + timedelta(days=(i * 997) % 30_000), clock((i * 7) % 24, (i * 13) % 60),
                  places[i % len(places)], "Camille Martin")
        for i in range(count)
    ]


def chart_rate(seconds: float = 3.0) -> dict:
    sample = births(200)
    compute_chart(sample[0])  # loads the ephemeris
    done, started, cpu_started = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - started < seconds:
        for birth in sample[:20]:
            # A generated local time skipped by a spring-forward raises: still a full attempt, counted.
            with contextlib.suppress(ValueError):
                compute_chart(birth)
        sample = sample[20:] + sample[:20]
        done += 20
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    # CPU time too: on a shared machine the wall clock also counts the time other processes held the core.
    return {"charts": done, "seconds": round(elapsed, 2), "charts_per_s": round(done / elapsed, 1),
            "ms_per_chart": round(1000 * elapsed / done, 2), "cpu_ms_per_chart": round(1000 * cpu / done, 2)}


def report_line(result: dict) -> str:
    return (f"[bench] natal chart (engine.chart, one process): {result['charts_per_s']:.0f} charts/s, "
            f"{result['ms_per_chart']:.1f} ms each, {result['cpu_ms_per_chart']:.1f} ms of CPU (target ≤ 50 ms)")


if __name__ == "__main__":
    print(report_line(chart_rate()))
