"""Ascendant, Midheaven and house cusps from the local apparent sidereal time, latitude and true obliquity.

Placidus divides each quadrant by trisecting the time a point of the ecliptic takes to travel from the
horizon to the meridian (its semi-arc); it has no solution where parts of the ecliptic never rise or set,
so beyond 66° of latitude (and wherever the iteration fails) the houses are whole signs: the first house
is the Ascendant's sign, each next house the next sign.
"""

from __future__ import annotations

import math

PLACIDUS = "Placidus"
WHOLE_SIGN = "Signes entiers"
PLACIDUS_MAX_LATITUDE_DEG = 66.0
_ITERATIONS = 50
_TOLERANCE_DEG = 1e-7


def _ecliptic_longitude_from_ra(ra_deg: float, obliquity_deg: float) -> float:
    """Longitude of the ecliptic point with this right ascension."""
    ra, eps = math.radians(ra_deg), math.radians(obliquity_deg)
    return math.degrees(math.atan2(math.sin(ra), math.cos(ra) * math.cos(eps))) % 360.0


def midheaven(ramc_deg: float, obliquity_deg: float) -> float:
    return _ecliptic_longitude_from_ra(ramc_deg, obliquity_deg)


def ascendant(ramc_deg: float, latitude_deg: float, obliquity_deg: float) -> float:
    """The ecliptic point rising on the eastern horizon."""
    ramc, eps, phi = (math.radians(x) for x in (ramc_deg, obliquity_deg, latitude_deg))
    y = math.cos(ramc)
    x = -(math.sin(ramc) * math.cos(eps) + math.tan(phi) * math.sin(eps))
    longitude = math.degrees(math.atan2(y, x)) % 360.0
    # Beyond the polar circles the formula can give the setting point instead: keep the one east of the
    # meridian (negative hour angle).
    lam = math.radians(longitude)
    ra = math.degrees(math.atan2(math.sin(lam) * math.cos(eps), math.cos(lam)))
    if 0.0 < (ramc_deg - ra) % 360.0 < 180.0:
        longitude = (longitude + 180.0) % 360.0
    return longitude


def _placidus_cusp(ramc_deg: float, latitude_deg: float, obliquity_deg: float, fraction: float, above: bool) -> float:
    """Cusp whose hour angle is `fraction` of the diurnal semi-arc east of the MC (above the horizon), or
    of the nocturnal semi-arc west of the IC (below it)."""
    phi, eps = math.radians(latitude_deg), math.radians(obliquity_deg)
    ra = ramc_deg + (90.0 * fraction if above else 180.0 - 90.0 * fraction)  # the equal-arc guess
    for _ in range(_ITERATIONS):
        longitude = math.radians(_ecliptic_longitude_from_ra(ra, obliquity_deg))
        declination = math.asin(math.sin(eps) * math.sin(longitude))
        cos_arc = -math.tan(phi) * math.tan(declination)
        if not -1.0 <= cos_arc <= 1.0:
            raise ValueError("circumpolar point: Placidus undefined")
        diurnal = math.degrees(math.acos(cos_arc))
        new_ra = ramc_deg + fraction * diurnal if above else ramc_deg + 180.0 - fraction * (180.0 - diurnal)
        if abs((new_ra - ra + 180.0) % 360.0 - 180.0) < _TOLERANCE_DEG:
            ra = new_ra
            break
        ra = new_ra
    return _ecliptic_longitude_from_ra(ra, obliquity_deg)


def placidus_cusps(ramc_deg: float, latitude_deg: float, obliquity_deg: float) -> list[float]:
    asc = ascendant(ramc_deg, latitude_deg, obliquity_deg)
    mc = midheaven(ramc_deg, obliquity_deg)
    c11 = _placidus_cusp(ramc_deg, latitude_deg, obliquity_deg, 1 / 3, above=True)
    c12 = _placidus_cusp(ramc_deg, latitude_deg, obliquity_deg, 2 / 3, above=True)
    c2 = _placidus_cusp(ramc_deg, latitude_deg, obliquity_deg, 2 / 3, above=False)
    c3 = _placidus_cusp(ramc_deg, latitude_deg, obliquity_deg, 1 / 3, above=False)
    first_six = [asc, c2, c3, (mc + 180.0) % 360.0, (c11 + 180.0) % 360.0, (c12 + 180.0) % 360.0]
    return first_six + [(c + 180.0) % 360.0 for c in first_six]


def whole_sign_cusps(ascendant_deg: float) -> list[float]:
    first = math.floor(ascendant_deg / 30.0) * 30.0
    return [(first + 30.0 * i) % 360.0 for i in range(12)]


def house_cusps(ramc_deg: float, latitude_deg: float, obliquity_deg: float) -> tuple[str, list[float]]:
    """(house system, the 12 cusps' longitudes from the first house)."""
    if abs(latitude_deg) <= PLACIDUS_MAX_LATITUDE_DEG:
        try:
            return PLACIDUS, placidus_cusps(ramc_deg, latitude_deg, obliquity_deg)
        except ValueError:
            pass
    return WHOLE_SIGN, whole_sign_cusps(ascendant(ramc_deg, latitude_deg, obliquity_deg))


def house_of(longitude_deg: float, cusps: list[float]) -> int:
    """1–12: the house whose cusp precedes the longitude (cusps run counter-clockwise, wrapping at 360°)."""
    for i in range(12):
        start, end = cusps[i], cusps[(i + 1) % 12]
        span = (end - start) % 360.0
        if (longitude_deg - start) % 360.0 < span:
            return i + 1
    return 1
