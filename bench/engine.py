"""Engine lines of `make bench`: in-process timings of the reading engine (no server, no database).

Each line is one function returning {"name", "p50_ms", "max_ms", "target_ms", "target"}; `main` prints them all.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

COMPOSE_TARGET_MS = 300
_FIXTURE = ROOT / "tests" / "engine" / "fixtures" / "chart_time_known.json"


def _timed(function, runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def bench_compose(runs: int = 20) -> dict:
    """Composing a VIP level-4 reading (transits and lunation included), each run with its own seed and day."""
    from engine.composer import CompositionRequest, compose

    chart = json.loads(_FIXTURE.read_text(encoding="utf-8"))
    counter = iter(range(10_000))

    def one() -> None:
        run = next(counter)
        compose(CompositionRequest(
            first_name="Camille", level=4, service="vip", duration_minutes=90, chart=chart,
            question="Dois-je changer de poste cette année ?", objective="Retrouver confiance",
            expert_prompt="Insister sur la carrière.", expert_instructions="", seed=f"bench-{run}",
            delivery_date=date(2026, 1 + run % 12, 1 + run % 28),
        ))

    one()  # first call loads the texts and the ephemeris: a process pays it once
    timings = _timed(one, runs)
    p50 = statistics.median(timings)
    return {"name": "engine: compose a VIP level-4 reading", "p50_ms": round(p50, 1), "max_ms": round(max(timings), 1),
            "target_ms": COMPOSE_TARGET_MS, "target": "ok" if p50 <= COMPOSE_TARGET_MS else "missed"}


LINES = (bench_compose,)


def main() -> int:
    results = [line() for line in LINES]
    for result in results:
        print(f"[bench] {result['name']:<44} p50 {result['p50_ms']:>7.1f} ms  max {result['max_ms']:>7.1f} ms  "
              f"(target ≤ {result['target_ms']} ms: {result['target']})")
    return 0 if all(result["target"] == "ok" for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
