"""The chart against a second, independent ephemeris (PyEphem) and independent spherical astronomy.

PyEphem's apparent geocentric position of date (g_ra, g_dec: light time, aberration, nutation) is turned
into ecliptic longitude of date; the Ascendant is found here by searching the ecliptic for the point rising
on the eastern horizon at PyEphem's local sidereal time, the Midheaven by the textbook formula, and each
Placidus cusp is checked against its definition (its hour angle is a third of its semi-arc).
"""

import math
from datetime import UTC, date, datetime, time, timedelta

import ephem
import pytest

from engine import ephemeris
from engine.chart import BirthData, compute_chart
from engine.places import Place

EPHEM_BODIES = {
    "sun": ephem.Sun, "moon": ephem.Moon, "mercury": ephem.Mercury, "venus": ephem.Venus, "mars": ephem.Mars,
    "jupiter": ephem.Jupiter, "saturn": ephem.Saturn, "uranus": ephem.Uranus, "neptune": ephem.Neptune,
    "pluto": ephem.Pluto,
}
# 24 instants from 1920 to 2030, irregular in day of year and time of day.
INSTANTS = [datetime(1920, 2, 3, 5, 17, tzinfo=UTC) + timedelta(days=1750.3 * i + 11.9 * (i % 5)) for i in range(24)]
PLANET_TOLERANCE_DEG = 0.05
MOON_TOLERANCE_DEG = 0.1
ANGLE_TOLERANCE_DEG = 0.5


def separation(a: float, b: float) -> float:
    return abs((a - b + 180.0) % 360.0 - 180.0)


def ephem_longitude(key: str, moment: datetime) -> float:
    when = ephem.Date(moment.astimezone(UTC).replace(tzinfo=None))
    body = EPHEM_BODIES[key](when)
    of_date = ephem.Equatorial(body.g_ra, body.g_dec, epoch=when)
    return math.degrees(ephem.Ecliptic(of_date, epoch=when).lon)


def test_the_instants_span_1920_to_2030():
    assert INSTANTS[0].year == 1920 and INSTANTS[-1].year == 2030 and len(INSTANTS) >= 20


@pytest.mark.parametrize("moment", INSTANTS, ids=lambda m: m.strftime("%Y-%m-%dT%H%M"))
def test_every_body_agrees_with_pyephem(moment):
    ours = ephemeris.longitudes_and_speeds(moment)
    for key in EPHEM_BODIES:
        tolerance = MOON_TOLERANCE_DEG if key == "moon" else PLANET_TOLERANCE_DEG
        assert separation(ours[key][0], ephem_longitude(key, moment)) < tolerance, key


def test_a_charts_bodies_are_those_of_the_birth_instant_in_utc():
    new_york = Place("New York City", "États-Unis", "US", 40.71427, -74.00597, "America/New_York")
    chart = compute_chart(BirthData(date(1990, 7, 4), time(21, 45), new_york))
    instant = datetime(1990, 7, 5, 1, 45, tzinfo=UTC)  # 21:45 summer time, UTC−4
    for body in chart["bodies"]:
        assert separation(body["longitude"], ephem_longitude(body["key"], instant)) < PLANET_TOLERANCE_DEG * 2


def _true_obliquity_deg(moment: datetime) -> float:
    """Mean obliquity (IAU 1980); the nutation term (< 0.003°) is below this test's tolerance."""
    t = (ephem.julian_date(ephem.Date(moment.replace(tzinfo=None))) - 2451545.0) / 36525.0
    return 23.439291111 - (46.8150 * t + 0.00059 * t * t - 0.001813 * t ** 3) / 3600.0


def _local_sidereal_deg(place: Place, moment: datetime) -> float:
    observer = ephem.Observer()
    observer.lat, observer.lon = math.radians(place.latitude_deg), math.radians(place.longitude_deg)
    observer.date = ephem.Date(moment.replace(tzinfo=None))
    observer.pressure = 0
    return math.degrees(observer.sidereal_time())


def _equatorial(longitude_deg: float, obliquity_deg: float) -> tuple[float, float]:
    lam, eps = math.radians(longitude_deg), math.radians(obliquity_deg)
    ra = math.degrees(math.atan2(math.sin(lam) * math.cos(eps), math.cos(lam)))
    dec = math.degrees(math.asin(math.sin(eps) * math.sin(lam)))
    return ra, dec


def _hour_angle(lst_deg: float, ra_deg: float) -> float:
    """Westward, in (−180, 180]."""
    return (lst_deg - ra_deg + 180.0) % 360.0 - 180.0


def _altitude(longitude_deg: float, lst_deg: float, latitude_deg: float, obliquity_deg: float) -> float:
    ra, dec = _equatorial(longitude_deg, obliquity_deg)
    h, d, phi = (math.radians(x) for x in (_hour_angle(lst_deg, ra), dec, latitude_deg))
    return math.degrees(math.asin(math.sin(phi) * math.sin(d) + math.cos(phi) * math.cos(d) * math.cos(h)))


def independent_ascendant(lst: float, latitude: float, obliquity: float) -> float:
    """The ecliptic point on the horizon in the east: scan the ecliptic, then bisect the crossing."""
    for step in range(720):
        low, high = step * 0.5, step * 0.5 + 0.5
        a_low, a_high = _altitude(low, lst, latitude, obliquity), _altitude(high, lst, latitude, obliquity)
        east = _hour_angle(lst, _equatorial(low, obliquity)[0]) < 0
        if east and a_low * a_high <= 0:
            for _ in range(40):
                middle = (low + high) / 2
                if _altitude(low, lst, latitude, obliquity) * _altitude(middle, lst, latitude, obliquity) <= 0:
                    high = middle
                else:
                    low = middle
            return low % 360.0
    raise AssertionError("no rising point found")


def independent_midheaven(lst: float, obliquity: float) -> float:
    eps = math.radians(obliquity)
    return math.degrees(math.atan2(math.sin(math.radians(lst)), math.cos(math.radians(lst)) * math.cos(eps))) % 360.0


BIRTHS = [
    (Place("Paris", "", "FR", 48.85341, 2.3488, "Europe/Paris"), date(1976, 7, 1), time(14, 30)),
    (Place("Paris", "", "FR", 48.85341, 2.3488, "Europe/Paris"), date(1962, 2, 4), time(3, 5)),
    (Place("New York", "", "US", 40.71427, -74.00597, "America/New_York"), date(1990, 7, 4), time(21, 45)),
    (Place("Sydney", "", "AU", -33.86785, 151.20732, "Australia/Sydney"), date(1988, 1, 26), time(6, 10)),
    (Place("Reykjavik", "", "IS", 64.13548, -21.89541, "Atlantic/Reykjavik"), date(1971, 11, 9), time(17, 0)),
    (Place("Quito", "", "EC", -0.22985, -78.52495, "America/Guayaquil"), date(1999, 12, 31), time(23, 59)),
    (Place("Buenos Aires", "", "AR", -34.61315, -58.37723, "America/Argentina/Buenos_Aires"), date(1945, 5, 8), time(9)),
    (Place("Tokyo", "", "JP", 35.6895, 139.69171, "Asia/Tokyo"), date(1923, 9, 1), time(11, 58)),
    (Place("Le Cap", "", "ZA", -33.92584, 18.42322, "Africa/Johannesburg"), date(2010, 6, 11), time(16)),
    (Place("Anchorage", "", "US", 61.21806, -149.90028, "America/Anchorage"), date(1984, 3, 15), time(7, 20)),
    (Place("Saint-Denis", "", "RE", -20.88231, 55.4504, "Indian/Reunion"), date(2003, 8, 27), time(12)),
    (Place("Londres", "", "GB", 51.50853, -0.12574, "Europe/London"), date(1943, 6, 1), time(0, 30)),
    # Beyond the polar circles (whole-sign houses), where the textbook formula can give the setting point.
    (Place("Tromsø", "", "NO", 69.6496, 18.957, "Europe/Oslo"), date(1990, 12, 21), time(12)),
    (Place("Longyearbyen", "", "NO", 78.2232, 15.6469, "Arctic/Longyearbyen"), date(1990, 12, 21), time(9)),
]


@pytest.mark.parametrize(("place", "day", "clock"), BIRTHS, ids=lambda x: getattr(x, "name", str(x)))
def test_ascendant_and_midheaven_agree_with_an_independent_computation(place, day, clock):
    chart = compute_chart(BirthData(day, clock, place))
    moment = datetime.fromisoformat(chart["moment"].replace("Z", "+00:00"))
    lst, obliquity = _local_sidereal_deg(place, moment), _true_obliquity_deg(moment)
    assert separation(chart["angles"]["midheaven"], independent_midheaven(lst, obliquity)) < ANGLE_TOLERANCE_DEG
    asc = independent_ascendant(lst, place.latitude_deg, obliquity)
    assert separation(chart["angles"]["ascendant"], asc) < ANGLE_TOLERANCE_DEG


@pytest.mark.parametrize(("place", "day", "clock"), BIRTHS, ids=lambda x: getattr(x, "name", str(x)))
def test_each_placidus_cusp_trisects_its_semi_arc(place, day, clock):
    chart = compute_chart(BirthData(day, clock, place))
    if abs(place.latitude_deg) > 66:
        assert chart["houseSystem"] == "Signes entiers"
        return
    moment = datetime.fromisoformat(chart["moment"].replace("Z", "+00:00"))
    lst, obliquity = _local_sidereal_deg(place, moment), _true_obliquity_deg(moment)
    phi = math.radians(place.latitude_deg)
    # (house, share of the semi-arc east of the meridian: diurnal above the horizon, nocturnal below)
    for house, share, above in ((11, 1 / 3, True), (12, 2 / 3, True), (2, 2 / 3, False), (3, 1 / 3, False)):
        ra, dec = _equatorial(chart["houses"][house - 1], obliquity)
        diurnal = math.degrees(math.acos(-math.tan(phi) * math.tan(math.radians(dec))))
        expected = -share * diurnal if above else -(180.0 - share * (180.0 - diurnal))
        assert separation(_hour_angle(lst, ra), expected) < 0.05, house
