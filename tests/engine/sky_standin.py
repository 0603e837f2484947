"""A stand-in for engine.transits (engine/INTERFACE.md) computed with ephem, for the composer's tests while the
real module is not merged; also the reference the tests check the composer's dates against."""

import math
from datetime import UTC, date, datetime, time, timedelta

import ephem

SIGNS = ("Bélier", "Taureau", "Gémeaux", "Cancer", "Lion", "Vierge",
         "Balance", "Scorpion", "Sagittaire", "Capricorne", "Verseau", "Poissons")
_BODIES = (("sun", ephem.Sun), ("moon", ephem.Moon), ("mercury", ephem.Mercury), ("venus", ephem.Venus),
           ("mars", ephem.Mars), ("jupiter", ephem.Jupiter), ("saturn", ephem.Saturn), ("uranus", ephem.Uranus),
           ("neptune", ephem.Neptune), ("pluto", ephem.Pluto))
_ASPECTS = (("conjunction", 0), ("sextile", 60), ("square", 90), ("trine", 120), ("opposition", 180))
_ORB_DEG = 3.0


def _longitude(body_class, when: ephem.Date) -> float:
    body = body_class()
    body.compute(when, epoch=when)
    return math.degrees(ephem.Ecliptic(body, epoch=when).lon)


def _ephem_date(moment: datetime) -> ephem.Date:
    return ephem.Date(moment.astimezone(UTC).replace(tzinfo=None))


def _lunation(kind: str, after: datetime) -> dict:
    finder = ephem.next_new_moon if kind == "new" else ephem.next_full_moon
    at = finder(_ephem_date(after))
    sign = SIGNS[int(_longitude(ephem.Moon, at) // 30)]
    return {"kind": kind, "at": at.datetime().replace(tzinfo=UTC), "sign": sign}


def next_lunations(after: datetime) -> dict:
    return {"new": _lunation("new", after), "full": _lunation("full", after)}


def next_lunation(after: datetime) -> dict:
    return min(next_lunations(after).values(), key=lambda lunation: lunation["at"])


def daily_transits(chart: dict, start: date, days: int = 30) -> list[dict]:
    natal = {body["key"]: body["longitude"] for body in chart["bodies"]}
    result = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        when = _ephem_date(datetime.combine(day, time(12), tzinfo=UTC))
        sky = {key: _longitude(body_class, when) for key, body_class in _BODIES}
        hits = []
        for transiting, longitude in sky.items():
            if transiting == "moon":  # as engine.transits: the Moon's sign is given, not its aspects
                continue
            for natal_key, natal_longitude in natal.items():
                distance = abs((longitude - natal_longitude + 180) % 360 - 180)
                for kind, angle in _ASPECTS:
                    orb = abs(distance - angle)
                    if orb <= (2.0 if kind == "sextile" else _ORB_DEG):
                        hits.append((round(orb, 2), transiting, natal_key, kind))
        aspects = [{"transiting": t, "natal": n, "type": k, "orb": o} for o, t, n, k in sorted(hits)[:3]]
        result.append({"date": day, "moonSign": SIGNS[int(sky["moon"] // 30)],
                       "aspect": aspects[0] if aspects else None, "aspects": aspects})
    return result
