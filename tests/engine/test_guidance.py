"""The 30-day guidance (level 4) as a client reads it: each day's focus follows the Moon through its sign, so that
consecutive days never say the same thing, and each day's lead reads as plain French."""

import re
from datetime import date, time, timedelta
from itertools import pairwise

import pytest

from engine import transits
from engine.composer import compose
from engine.composer.library import sign_slug, texts
from tests.engine.test_composer import CHART, DELIVERY, _request
from tests.engine.test_texts import QUIET_RESTATEMENT


def _birth_chart(day: date, hour: time | None, place: str, name: str) -> dict:
    from engine.chart import BirthData, compute_chart
    from engine.places import resolve_place

    return compute_chart(BirthData(day, hour, resolve_place(place), name))


def _moon_part(focus: str) -> str:
    """"Mardi 1er décembre · Lune en Vierge : …" without its date."""
    return focus.split(" · ", 1)[1]


@pytest.mark.parametrize(("birth", "delivery"), [
    ((date(1990, 4, 12), time(8, 30), "Lyon", "Camille Lune"), date(2026, 12, 1)),
    ((date(1986, 11, 3), time(6, 45), "Nantes", "Élodie Marchand"), date(2027, 3, 14)),
    ((date(1975, 7, 28), None, "Marseille", "Inès Garnier"), date(2027, 7, 31)),
    ((date(2001, 1, 19), time(23, 10), "Lille", "Théo Bernard"), date(2028, 2, 27)),
], ids=["lyon", "nantes", "marseille-time-unknown", "lille"])
def test_consecutive_guidance_days_never_share_a_focus_and_each_names_the_days_moon_sign(birth, delivery):
    chart = _birth_chart(*birth)
    guidance = compose(_request(chart=chart, first_name=birth[3].split()[0], delivery_date=delivery))["guidance"]
    moons = [day["moonSign"] for day in transits.daily_transits(chart, delivery, 30)]
    focuses = [_moon_part(entry["focus"]) for entry in guidance]
    for focus, moon in zip(focuses, moons, strict=True):
        assert focus.startswith(f"Lune en {moon} : "), focus
    for yesterday, today in pairwise(focuses):
        assert today != yesterday, today
    assert len(set(focuses)) >= 24  # a month crosses every sign at least twice over, each day in its own words


def test_the_moons_focus_follows_its_passage_through_the_sign():
    days = transits.daily_transits(CHART, DELIVERY, 30)
    guidance = compose(_request())["guidance"]
    for day, entry in zip(days, guidance, strict=True):
        texts_of_sign = texts("transits")["moon_signs"][sign_slug(day["moonSign"])]
        third = ("early", "middle", "late")[int(day["moonLongitude"] % 30 // 10)]
        assert _moon_part(entry["focus"]).endswith(texts_of_sign[third][1:]), (day, entry["focus"])


def test_a_sky_without_the_moons_longitude_still_varies_the_focus_from_day_to_day(monkeypatch):
    from engine.composer import sky

    def stand_in(chart, start, days=30):  # the Moon three days in each sign, no longitude given
        signs = ("Bélier", "Taureau", "Gémeaux", "Cancer", "Lion", "Vierge", "Balance", "Scorpion", "Sagittaire",
                 "Capricorne", "Verseau", "Poissons")
        return [{"date": start + timedelta(days=i), "moonSign": signs[i // 3 % 12], "aspect": None, "aspects": []}
                for i in range(days)]

    monkeypatch.setattr(sky, "daily_transits", stand_in)
    focuses = [_moon_part(entry["focus"]) for entry in compose(_request())["guidance"]]
    assert all(today != yesterday for yesterday, today in pairwise(focuses))
    first = texts("transits")["moon_signs"]["belier"]["early"]
    assert focuses[0] == f"Lune en Bélier : {first[0].lower()}{first[1:]}"


def test_a_second_influence_in_the_guidance_goes_on_in_lower_case():
    practices = " ".join(entry["practice"] for entry in compose(_request(duration_minutes=90))["guidance"])
    assert "Autre influence du jour : " in practices
    assert not re.search(r"Autre influence du jour : (Le|La) ", practices)


def test_an_aspect_brings_its_theme_to_the_fore_and_the_next_days_keep_it_there():
    practices = [entry["practice"] for entry in compose(_request(duration_minutes=90))["guidance"]]
    assert "Uranus rejoint votre Jupiter de naissance (exact) : votre élan de croissance passe au premier plan." in practices[0]
    assert "votre élan de croissance reste au premier plan." in practices[1]
    assert not any("ce jour touche" in practice for practice in practices)  # the practices say « touche » often enough


def test_a_quiet_day_says_once_that_no_aspect_touches_the_chart_then_gives_its_practice():
    from engine.composer.library import frames

    lead = frames()["guidance_quiet"]
    practices = [entry["practice"] for entry in compose(_request(chart=None))["guidance"]]  # no chart: every day quiet
    for practice in practices:
        assert practice.startswith(f"{lead} "), practice
        assert not QUIET_RESTATEMENT.search(practice.removeprefix(lead)), practice
    assert len(set(practices)) == len(texts("transits")["quiet"])  # every quiet practice was heard
