"""Where the composer gets the sky after delivery: engine.transits (engine/INTERFACE.md), looked up at call time.

The two functions are module attributes so that a test or a caller can stand in for them (monkeypatch
`engine.composer.sky.next_lunation` / `daily_transits`); the composer always calls them through this module.
"""

from __future__ import annotations

from datetime import date, datetime


def next_lunation(after: datetime) -> dict:
    from engine import transits

    return transits.next_lunation(after)


def daily_transits(chart: dict, start: date, days: int = 30) -> list[dict]:
    from engine import transits

    return transits.daily_transits(chart, start, days)
