"""JPL DE421 through skyfield, loaded once per process from the file skyfield-data ships (never downloaded).

Longitudes are apparent (light time, aberration, deflection, nutation) geocentric ecliptic longitudes of date:
the true equinox and ecliptic of the moment, the tropical zodiac astrologers use. Every function takes
arrays of instants, so a chart or a month of transits is a handful of vectorised calls.
"""

from __future__ import annotations

import math
import warnings
from datetime import UTC, datetime
from functools import cache

import numpy as np

BODY_KEYS = ("sun", "moon", "mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune", "pluto")
# DE421 gives the outer planets as their systems' barycentres (the planet itself is within a few arcseconds).
_SEGMENTS = {
    "sun": "sun", "moon": "moon", "mercury": "mercury", "venus": "venus", "mars": "mars",
    "jupiter": "jupiter barycenter", "saturn": "saturn barycenter", "uranus": "uranus barycenter",
    "neptune": "neptune barycenter", "pluto": "pluto barycenter",
}
# The speed used for the retrograde flag is measured over this span, centred on the instant.
SPEED_SPAN_DAYS = 0.25


@cache
def _sky():
    from skyfield.api import Loader
    from skyfield_data import get_skyfield_data_path

    with warnings.catch_warnings():
        # skyfield-data warns that its bundled Earth-orientation file has expired; the builtin timescale
        # below does not read it (its ΔT tables cover 1900–2050 well enough for a chart).
        warnings.simplefilter("ignore")
        loader = Loader(get_skyfield_data_path(), verbose=False)
        timescale = loader.timescale(builtin=True)
        planets = loader("de421.bsp")
    return timescale, planets, {key: planets[name] for key, name in _SEGMENTS.items()}


def timescale():
    return _sky()[0]


def planets():
    return _sky()[1]


# Before 1972 civil time followed the Earth's rotation (GMT ≈ UT1); skyfield's UTC would drift ~20 s from it.
_UTC_EPOCH = datetime(1972, 1, 1, tzinfo=UTC)
_UNIX_EPOCH_JD = 2440587.5


def times(moments: list[datetime] | datetime):
    """skyfield Time (scalar, or array for a list) for aware datetimes; pre-1972 civil time read as UT1."""
    ts = timescale()
    single = isinstance(moments, datetime)
    aware = [m.astimezone(UTC) for m in ([moments] if single else moments)]
    if all(m >= _UTC_EPOCH for m in aware):
        return ts.from_datetime(aware[0]) if single else ts.from_datetimes(aware)
    jd = np.array([_UNIX_EPOCH_JD + m.timestamp() / 86400.0 for m in aware])
    utc = ts.from_datetimes(aware).tt
    old = np.array([m < _UTC_EPOCH for m in aware])
    tt = np.where(old, ts.ut1_jd(jd).tt, utc)
    return ts.tt_jd(tt[0] if single else tt)


def ecliptic_longitudes(t, keys: tuple[str, ...] = BODY_KEYS) -> dict[str, np.ndarray]:
    """Apparent geocentric ecliptic longitude of date, in degrees [0, 360), for each body at each instant of t."""
    from skyfield.framelib import ecliptic_frame

    _, eph, bodies = _sky()
    earth = eph["earth"].at(t)
    out = {}
    for key in keys:
        # Light deflection by the Sun only: Jupiter's and Saturn's (< 0.001" unless grazing) cost a third
        # of a chart's time for nothing visible.
        _, lon, _ = earth.observe(bodies[key]).apparent(deflectors=(10,)).frame_latlon(ecliptic_frame)
        out[key] = lon.degrees % 360.0
    return out


def longitudes_and_speeds(moment: datetime, keys: tuple[str, ...] = BODY_KEYS) -> dict[str, tuple[float, float]]:
    """(longitude°, speed °/day) per body at a UTC instant; the speed from positions SPEED_SPAN_DAYS apart."""
    ts = timescale()
    centre = times(moment)
    half = SPEED_SPAN_DAYS / 2
    t = ts.tt_jd(np.array([centre.tt - half, centre.tt, centre.tt + half]))
    result = {}
    for key, lon in ecliptic_longitudes(t, keys).items():
        delta = (lon[2] - lon[0] + 540.0) % 360.0 - 180.0
        result[key] = (float(lon[1]), float(delta / SPEED_SPAN_DAYS))
    return result


def sidereal_frame(moment: datetime) -> tuple[float, float]:
    """(Greenwich apparent sidereal time in degrees, true obliquity of the ecliptic in degrees) at a UTC instant."""
    from skyfield.nutationlib import iau2000a_radians, mean_obliquity

    t = times(moment)
    _, delta_epsilon = iau2000a_radians(t)
    obliquity = mean_obliquity(t.tdb) / 3600.0 + math.degrees(delta_epsilon)
    return float(t.gast) * 15.0 % 360.0, float(obliquity)
