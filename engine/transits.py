"""What the sky does after a reading: the next new and full moons, and a month of transits to a natal chart.

- Lunations: the instants the Moon–Sun elongation (in ecliptic longitude of date) crosses 0° (new) and 180°
  (full), found with skyfield's moon_phases and find_discrete, within a few seconds; the sign is the Moon's.
- Daily transits: at 12:00 UTC of each day, the Moon's sign, and the tightest major aspect that a transiting
  body other than the Moon makes to one of the ten natal bodies (the Moon passes over every natal point
  within a month, so its aspects say little about one day; its sign is given instead). Transit orbs are
  tighter than natal ones: 3° (sextile 2°). No aspect within orb → None.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import numpy as np

from engine import ephemeris
from engine.chart import ASPECTS, BODY_KEYS, sign_of

TRANSITING_KEYS = tuple(k for k in BODY_KEYS if k != "moon")
TRANSIT_ORB_DEG = 3.0
TRANSIT_SEXTILE_ORB_DEG = 2.0
# Besides the tightest (`aspect`), each day lists its few tightest aspects (`aspects`), for variety.
ASPECTS_PER_DAY = 3
# A lunation of each kind happens within 29.6 days; search a little further.
_SEARCH_DAYS = 31


def _lunations(after: datetime, days: float = _SEARCH_DAYS) -> list[dict]:
    from skyfield import almanac

    ts = ephemeris.timescale()
    start = ephemeris.times(after)
    t, phases = almanac.find_discrete(start, ts.tt_jd(start.tt + days), almanac.moon_phases(ephemeris.planets()))
    wanted = [(ti, int(p)) for ti, p in zip(t, phases, strict=True) if int(p) in (0, 2)]
    if not wanted:
        return []
    moons = ephemeris.ecliptic_longitudes(ts.tt_jd(np.array([ti.tt for ti, _ in wanted])), ("moon",))["moon"]
    return [
        {"kind": "new" if phase == 0 else "full", "at": ti.utc_datetime().replace(microsecond=0),
         "sign": sign_of(float(lon)), "longitude": round(float(lon), 4)}
        for (ti, phase), lon in zip(wanted, moons, strict=True)
    ]


def next_lunation(after: datetime) -> dict:
    """The first new or full moon strictly after the instant (naive datetimes are taken as UTC)."""
    return _lunations(_aware(after), days=17)[0]


def next_lunations(after: datetime) -> dict:
    """{"new": …, "full": …}: the next of each kind after the instant."""
    found: dict[str, dict] = {}
    for lunation in _lunations(_aware(after)):
        found.setdefault(lunation["kind"], lunation)
    return found


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _separation(a: np.ndarray, b: float) -> np.ndarray:
    return np.abs((a - b + 180.0) % 360.0 - 180.0)


def daily_transits(chart: dict, start: date, days: int = 30) -> list[dict]:
    """One entry per day from start, at 12:00 UTC: the Moon's sign and the day's tightest transit aspect."""
    if days <= 0:
        return []
    moments = [datetime.combine(start + timedelta(days=i), time(12), tzinfo=UTC) for i in range(days)]
    sky = ephemeris.ecliptic_longitudes(ephemeris.times(moments))
    natal = {body["key"]: float(body["longitude"]) for body in chart["bodies"]}

    hits: list[list[tuple[float, str, str, str]]] = [[] for _ in range(days)]
    for transiting in TRANSITING_KEYS:
        for natal_key, natal_lon in natal.items():
            separation = _separation(sky[transiting], natal_lon)  # the whole month at once
            for kind, angle in ASPECTS:
                orb = np.abs(separation - angle)
                limit = TRANSIT_SEXTILE_ORB_DEG if kind == "sextile" else TRANSIT_ORB_DEG
                for day in np.flatnonzero(orb <= limit):
                    hits[day].append((float(orb[day]), transiting, natal_key, kind))
    result = []
    for day, moment in enumerate(moments):
        aspects = [
            {"transiting": transiting, "natal": natal_key, "type": kind, "orb": round(orb, 2)}
            for orb, transiting, natal_key, kind in sorted(hits[day])[:ASPECTS_PER_DAY]
        ]
        moon = float(sky["moon"][day])
        result.append({
            "date": moment.date(), "moonSign": sign_of(moon), "moonLongitude": round(moon, 4),
            "aspect": aspects[0] if aspects else None, "aspects": aspects,
        })
    return result
