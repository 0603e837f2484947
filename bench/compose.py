"""The composer's share of `make bench`: composing a VIP level-4 reading in one process (transits included).

Texts and the ephemeris are loaded before the clock starts (once per process, as in the app); each run has its
own seed and delivery day, so the lunation and the 30 days of transits are computed afresh. Runs alone too:
`.venv/bin/python bench/compose.py`.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.composer import CompositionRequest, compose

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 300
FIXTURE = ROOT / "tests" / "engine" / "fixtures" / "chart_time_known.json"


def _request(chart: dict, run: int) -> CompositionRequest:
    return CompositionRequest(
        first_name="Camille", level=4, service="vip", duration_minutes=90, chart=chart,
        question="Dois-je changer de poste cette année ?", objective="Retrouver confiance en moi",
        expert_prompt="Insister sur la carrière.", expert_instructions="", seed=f"bench-{run}",
        delivery_date=date(2026, 1 + run % 12, 1 + run % 28),
    )


def compose_timing(runs: int = 20) -> dict:
    chart = json.loads(FIXTURE.read_text(encoding="utf-8"))
    compose(_request(chart, runs))  # loads the texts and the ephemeris
    wall, cpu = [], []
    for run in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        compose(_request(chart, run))
        wall.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() - cpu_started))
    return {"runs": runs, "p50_ms": round(statistics.median(wall), 1), "max_ms": round(max(wall), 1),
            "cpu_p50_ms": round(statistics.median(cpu), 1), "target_ms": TARGET_MS}


def report_line(result: dict) -> str:
    return (f"[bench] compose a VIP level-4 reading (engine.composer, transits included): p50 {result['p50_ms']:.0f} ms, "
            f"max {result['max_ms']:.0f} ms, {result['cpu_p50_ms']:.0f} ms of CPU (target ≤ {result['target_ms']} ms)")


if __name__ == "__main__":
    print(report_line(compose_timing()))
