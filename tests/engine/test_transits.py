"""The sky after a reading: next new and full moons, and a month of transits, checked against PyEphem."""

from datetime import UTC, date, datetime, time, timedelta

import ephem
import pytest

from engine.chart import ASPECTS, SIGNS, BirthData, compute_chart
from engine.places import Place
from engine.transits import TRANSIT_ORB_DEG, daily_transits, next_lunation, next_lunations
from tests.engine.test_chart_accuracy import ephem_longitude, separation

PARIS = Place("Paris", "Île-de-France", "FR", 48.85341, 2.3488, "Europe/Paris")


def _ephem_utc(value) -> datetime:
    return ephem.Date(value).datetime().replace(tzinfo=UTC)


@pytest.mark.parametrize("after", [
    datetime(2026, 11, 30, 5, tzinfo=UTC), datetime(2027, 3, 1, tzinfo=UTC), datetime(2031, 7, 14, 18, tzinfo=UTC),
    datetime(2045, 1, 1, tzinfo=UTC),
])
def test_the_next_new_and_full_moons_agree_with_pyephem_within_an_hour(after):
    lunations = next_lunations(after)
    new = _ephem_utc(ephem.next_new_moon(after.replace(tzinfo=None)))
    full = _ephem_utc(ephem.next_full_moon(after.replace(tzinfo=None)))
    assert abs(lunations["new"]["at"] - new) < timedelta(hours=1)
    assert abs(lunations["full"]["at"] - full) < timedelta(hours=1)
    assert lunations["new"]["sign"] == SIGNS[int(ephem_longitude("moon", new) // 30)]
    first = next_lunation(after)
    assert first == min(lunations.values(), key=lambda lunation: lunation["at"])
    assert first["at"] > after


def test_a_naive_instant_is_read_as_utc():
    assert next_lunation(datetime(2026, 11, 30, 5)) == next_lunation(datetime(2026, 11, 30, 5, tzinfo=UTC))


def test_thirty_days_of_transits_each_give_the_moons_sign_at_noon_utc():
    chart = compute_chart(BirthData(date(1976, 7, 1), time(14, 30), PARIS))
    days = daily_transits(chart, date(2026, 12, 1))
    assert [day["date"] for day in days] == [date(2026, 12, 1) + timedelta(days=i) for i in range(30)]
    for day in days[::6]:
        noon = datetime.combine(day["date"], time(12), tzinfo=UTC)
        moon = ephem_longitude("moon", noon)
        assert separation(day["moonLongitude"], moon) < 0.1
        assert day["moonSign"] == SIGNS[int(day["moonLongitude"] // 30)]


def _ephem_tightest(chart: dict, noon: datetime) -> tuple[float, str, str, str]:
    natal = {body["key"]: body["longitude"] for body in chart["bodies"]}
    found = []
    for transiting in ("sun", "mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune", "pluto"):
        position = ephem_longitude(transiting, noon)
        for natal_key, natal_lon in natal.items():
            for kind, angle in ASPECTS:
                found.append((abs(separation(position, natal_lon) - angle), transiting, natal_key, kind))
    return min(found)


@pytest.mark.parametrize("start", [date(2026, 12, 1), date(2028, 6, 15)])
def test_the_days_tightest_aspect_is_the_one_pyephem_finds(start):
    chart = compute_chart(BirthData(date(1984, 12, 31), time(8, 15), PARIS))
    days = daily_transits(chart, start, days=10)
    for day in days[::3]:
        orb, transiting, natal_key, kind = _ephem_tightest(chart, datetime.combine(day["date"], time(12), tzinfo=UTC))
        assert orb <= TRANSIT_ORB_DEG  # a month with no aspect at all would make this test meaningless
        assert (day["aspect"]["transiting"], day["aspect"]["natal"], day["aspect"]["type"]) == (transiting, natal_key, kind)
        assert day["aspect"]["orb"] == pytest.approx(orb, abs=0.02)
        assert day["aspects"][0] == day["aspect"]
        assert [a["orb"] for a in day["aspects"]] == sorted(a["orb"] for a in day["aspects"])


def test_the_moon_is_never_the_transiting_body():
    chart = compute_chart(BirthData(date(1990, 7, 14), None, None))
    days = daily_transits(chart, date(2027, 1, 1), days=30)
    assert all(a["transiting"] != "moon" for day in days for a in day["aspects"])


def test_no_days_means_no_transits():
    chart = compute_chart(BirthData(date(1990, 7, 14), None, None))
    assert daily_transits(chart, date(2027, 1, 1), days=0) == []
    assert len(daily_transits(chart, date(2027, 1, 1), days=1)) == 1
