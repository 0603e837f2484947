"""The natal chart from the intake: birth moment and offsets, what an unknown time changes, signs on cusp
days, aspects, Moon phase, numbers and signs from the date, and the dict's shape (SPEC §9 `chart`)."""

import json
import math
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import ephem
import pytest

from engine.chart import (
    EPHEMERIS_LAST_DATE,
    SIGNS,
    BirthData,
    BirthDataError,
    birth_moment_utc,
    compute_chart,
)
from engine.numerology import chinese_sign
from engine.places import Place, resolve_place

PARIS = Place("Paris", "Île-de-France", "FR", 48.85341, 2.3488, "Europe/Paris")
TROMSO = Place("Tromsø", "Norvège", "NO", 69.6496, 18.957, "Europe/Oslo")


@pytest.mark.parametrize(("place", "day", "clock", "offset"), [
    ("Paris", date(1976, 7, 1), time(12), 120),  # France's first summer time since the war
    ("Paris", date(1976, 1, 15), time(12), 60),
    ("Paris", date(1941, 1, 15), time(12), 120),  # occupation: German summer time through the winter
    ("London", date(1943, 6, 1), time(12), 120),  # British double summer time
    ("London", date(1943, 1, 10), time(12), 60),  # wartime British summer time kept in winter
    ("New York", date(1990, 7, 4), time(12), -240),
    ("Saint-Denis (La Réunion)", date(1990, 7, 4), time(12), 240),
    ("Tokyo", date(1985, 3, 3), time(12), 540),
])
def test_the_historical_utc_offset_of_the_place_turns_the_local_time_into_utc(place, day, clock, offset):
    moment, minutes = birth_moment_utc(BirthData(day, clock, resolve_place(place)))
    assert minutes == offset
    assert moment == datetime.combine(day, clock, tzinfo=UTC) - timedelta(minutes=offset)


def test_a_time_skipped_by_the_spring_forward_is_a_birth_time_error():
    with pytest.raises(BirthDataError) as error:
        birth_moment_utc(BirthData(date(2021, 3, 28), time(2, 30), PARIS))
    assert error.value.field == "birthTime"
    assert "heure d'été" in error.value.message


def test_a_time_that_happened_twice_in_autumn_is_taken_the_first_time():
    moment, minutes = birth_moment_utc(BirthData(date(2021, 10, 31), time(2, 30), PARIS))
    assert (moment, minutes) == (datetime(2021, 10, 31, 0, 30, tzinfo=UTC), 120)


@pytest.mark.parametrize("day", [date(1899, 12, 31), date(2051, 1, 1)])
def test_a_date_outside_the_ephemeris_range_is_a_birth_date_error(day):
    with pytest.raises(BirthDataError) as error:
        compute_chart(BirthData(day, time(12), PARIS))
    assert error.value.field == "birthDate"


def test_a_birth_date_in_the_future_is_refused():
    future = min(datetime.now(UTC).date() + timedelta(days=30), EPHEMERIS_LAST_DATE)
    with pytest.raises(BirthDataError) as error:
        compute_chart(BirthData(future, None, PARIS))
    assert error.value.field == "birthDate"


def test_an_unknown_time_gives_a_chart_without_angles_or_houses_that_says_so():
    chart = compute_chart(BirthData(date(1976, 7, 1), None, PARIS))
    assert chart["timeKnown"] is False
    assert chart["angles"] is None and chart["houses"] is None and chart["houseSystem"] is None
    assert all("house" not in body for body in chart["bodies"])
    assert "Heure de naissance inconnue" in chart["note"] and "±7°" in chart["note"]
    assert chart["moment"] == "1976-07-01T10:00:00Z"  # local noon, summer time
    assert chart["place"]["utcOffset"] == 120


def test_without_a_place_the_time_cannot_be_used_and_the_chart_says_so():
    chart = compute_chart(BirthData(date(1976, 7, 1), time(8), None))
    assert chart["timeKnown"] is False and chart["place"] is None and chart["houses"] is None
    assert "Lieu de naissance inconnu" in chart["note"]


def test_a_known_time_and_place_give_angles_placidus_houses_and_each_body_its_house():
    chart = compute_chart(BirthData(date(1976, 7, 1), time(14, 30), PARIS, "Hélène Dupont"))
    assert chart["timeKnown"] is True and "note" not in chart
    assert chart["houseSystem"] == "Placidus"
    assert chart["houses"][0] == chart["angles"]["ascendant"]
    assert chart["houses"][9] == chart["angles"]["midheaven"]
    assert all(1 <= body["house"] <= 12 for body in chart["bodies"])
    # Cusps go round the zodiac once, counter-clockwise.
    assert sum((chart["houses"][(i + 1) % 12] - chart["houses"][i]) % 360 for i in range(12)) == pytest.approx(360)


def test_beyond_the_polar_circle_the_houses_are_whole_signs():
    chart = compute_chart(BirthData(date(1990, 12, 21), time(9), TROMSO))
    assert chart["houseSystem"] == "Signes entiers"
    first = chart["houses"][0]
    assert first % 30 == 0 and 0 <= chart["angles"]["ascendant"] - first < 30  # the Ascendant is in house 1


def _sun_ingress(year: int, month: int, day: int, sign_start_deg: float) -> datetime:
    """When the Sun (PyEphem, apparent, of date) reaches a sign's first degree, by bisection over that day."""
    def longitude(moment: datetime) -> float:
        when = ephem.Date(moment.replace(tzinfo=None))
        sun = ephem.Sun(when)
        return math.degrees(ephem.Ecliptic(ephem.Equatorial(sun.g_ra, sun.g_dec, epoch=when), epoch=when).lon)

    low = datetime(year, month, day, tzinfo=UTC) - timedelta(hours=12)
    high = low + timedelta(days=2)
    for _ in range(40):
        middle = low + (high - low) / 2
        if (longitude(middle) - sign_start_deg + 180) % 360 - 180 < 0:
            low = middle
        else:
            high = middle
    return low


@pytest.mark.parametrize(("year", "month", "day", "sign"), [
    (1985, 7, 23, "Lion"), (2000, 3, 20, "Bélier"), (1950, 12, 22, "Capricorne"), (1969, 9, 23, "Balance"),
])
def test_on_the_suns_ingress_day_the_sign_changes_at_the_ingress_time(year, month, day, sign):
    ingress = _sun_ingress(year, month, day, SIGNS.index(sign) * 30.0)
    for minutes, expected in ((-20, SIGNS[SIGNS.index(sign) - 1]), (20, sign)):
        local = (ingress + timedelta(minutes=minutes)).astimezone(ZoneInfo("Europe/Paris"))
        chart = compute_chart(BirthData(local.date(), local.time().replace(second=0, microsecond=0), PARIS))
        assert chart["bodies"][0]["sign"] == expected


def test_aspects_are_real_within_their_orbs_and_sorted_by_tightness():
    chart = compute_chart(BirthData(date(2020, 12, 21), time(19), PARIS))  # the great conjunction
    longitude = {body["key"]: body["longitude"] for body in chart["bodies"]}
    angles = {"conjunction": 0, "sextile": 60, "square": 90, "trine": 120, "opposition": 180}
    for aspect in chart["aspects"]:
        separation = abs((longitude[aspect["a"]] - longitude[aspect["b"]] + 180) % 360 - 180)
        assert abs(separation - angles[aspect["type"]]) == pytest.approx(aspect["orb"], abs=0.01)
        assert aspect["orb"] <= 8
    assert [a["orb"] for a in chart["aspects"]] == sorted(a["orb"] for a in chart["aspects"])
    great = next(a for a in chart["aspects"] if {a["a"], a["b"]} == {"jupiter", "saturn"})
    assert great["type"] == "conjunction" and great["orb"] < 0.2


@pytest.mark.parametrize(("day", "phase"), [
    (date(2020, 12, 14), "Nouvelle Lune"), (date(2020, 12, 30), "Pleine Lune"),
    (date(2020, 12, 22), "Premier quartier"), (date(2021, 1, 6), "Dernier quartier"),
])
def test_the_moon_phase_at_birth_is_named_in_french(day, phase):
    chart = compute_chart(BirthData(day, None, None))
    assert chart["moonPhase"]["name"] == phase
    expected = {"Nouvelle Lune": 0.0, "Pleine Lune": 1.0}.get(phase, 0.5)
    assert chart["moonPhase"]["illumination"] == pytest.approx(expected, abs=0.07)


def test_a_planet_moving_backwards_is_flagged_retrograde():
    assert compute_chart(BirthData(date(2020, 10, 20), None, None))["bodies"][2]["retrograde"] is True
    assert compute_chart(BirthData(date(2020, 9, 1), None, None))["bodies"][2]["retrograde"] is False
    assert all(not body["retrograde"] for body in compute_chart(BirthData(date(2020, 9, 1), None, None))["bodies"][:2])


@pytest.mark.parametrize(("day", "life_path"), [
    (date(1990, 7, 14), 4), (date(1984, 12, 31), 11), (date(1950, 5, 11), 22), (date(1950, 5, 22), 33),
])
def test_the_life_path_keeps_master_numbers(day, life_path):
    assert compute_chart(BirthData(day, None, None))["numerology"]["lifePath"] == life_path


def test_the_expression_number_comes_from_the_full_name_without_accents():
    assert compute_chart(BirthData(date(1990, 7, 14), None, None, "Jean Dupont"))["numerology"]["expression"] == 3
    with_accents = compute_chart(BirthData(date(1990, 7, 14), None, None, "Hélène Lefèvre"))["numerology"]
    assert with_accents["expression"] == compute_chart(BirthData(date(1990, 7, 14), None, None, "Helene Lefevre"))[
        "numerology"]["expression"]
    assert compute_chart(BirthData(date(1990, 7, 14), None, None, ""))["numerology"]["expression"] is None


@pytest.mark.parametrize(("day", "cards"), [
    (date(1990, 7, 14), [(4, "L'Empereur")]),
    (date(1984, 12, 31), [(11, "La Force"), (2, "La Papesse")]),
    (date(1950, 1, 3), [(19, "Le Soleil"), (1, "Le Bateleur")]),
    (date(1950, 1, 6), [(0, "Le Mat")]),
])
def test_the_tarot_birth_cards_come_from_the_sum_of_the_date(day, cards):
    tarot = compute_chart(BirthData(day, None, None))["tarot"]
    assert [(card["number"], card["name"]) for card in tarot] == cards


@pytest.mark.parametrize(("day", "sign"), [
    (date(1985, 2, 19), "Rat"), (date(1985, 2, 20), "Buffle"), (date(2024, 2, 9), "Lapin"),
    (date(2024, 2, 10), "Dragon"), (date(1900, 1, 30), "Cochon"),
])
def test_the_chinese_sign_changes_at_the_chinese_new_year(day, sign):
    assert compute_chart(BirthData(day, None, None))["chineseSign"] == sign


def test_the_chinese_new_year_follows_a_leap_month():
    # The leap eleventh month of 2033 puts the 2034 new year one lunation after the usual rule.
    assert (chinese_sign(date(2034, 2, 18)), chinese_sign(date(2034, 2, 19))) == ("Buffle", "Tigre")


def test_the_chart_has_the_spec_shape_and_is_json_ready():
    chart = compute_chart(BirthData(date(1976, 7, 1), time(14, 30), PARIS, "Hélène Dupont"))
    assert {"timeKnown", "place", "bodies", "angles", "houseSystem", "houses", "aspects", "moonPhase",
            "numerology", "tarot", "chineseSign"} <= set(chart)
    assert [body["key"] for body in chart["bodies"]] == [
        "sun", "moon", "mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune", "pluto"]
    for body in chart["bodies"]:
        assert 0 <= body["longitude"] < 360 and 0 <= body["degree"] < 30
        assert body["sign"] == SIGNS[int(body["longitude"] // 30)]
    assert set(chart["place"]) >= {"name", "latitude", "longitude", "timezone", "utcOffset"}
    assert json.loads(json.dumps(chart)) == chart
