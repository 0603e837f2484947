"""The content schema: what each level must hold, and what makes a delivery invalid."""

import pytest

from engine.schema import content_schema, readable_content, reading_word_count, target_words, validate_content


def _content(level: int, words: int = 400) -> dict:
    body = " ".join(["mot"] * words)
    content = {
        "title": "Lecture",
        "archetype": {"name": "L'Étoile", "source": "tarot de naissance"},
        "reading": {"intro": "Bonjour.", "sections": [{"title": "Vous", "body": body}], "closing": "Au revoir."},
    }
    if level >= 2:
        content["ritual"] = {"title": "Rituel", "moment": "Nouvelle lune", "steps": ["a", "b", "c"], "intention": "Paix"}
        content["audioScript"] = "Texte lu."
    if level >= 3:
        content["synthesis"] = "Synthèse."
        content["mandala"] = {"colors": ["#112233", "#abcdef"], "symbols": ["lune"], "intention": "Calme"}
    if level >= 4:
        content["guidance"] = [{"day": day, "focus": "f", "practice": "p"} for day in range(1, 31)]
    return content


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_a_complete_content_of_each_level_is_valid(level):
    assert validate_content(_content(level), level=level, duration_minutes=30) == []


def test_a_level_two_content_without_its_ritual_is_refused():
    content = _content(2)
    del content["ritual"]
    assert any("ritual" in error for error in validate_content(content, level=2, duration_minutes=30))


def test_a_reading_under_half_its_target_is_refused():
    errors = validate_content(_content(1, words=300), level=1, duration_minutes=60)
    assert errors and "minimum de 750" in errors[0]


def test_a_mandala_colour_that_is_not_hex_is_refused():
    content = _content(3)
    content["mandala"]["colors"] = ["red", "#000000"]
    assert validate_content(content, level=3, duration_minutes=30)


def test_guidance_needs_thirty_distinct_days():
    content = _content(4)
    content["guidance"][29]["day"] = 1
    assert validate_content(content, level=4, duration_minutes=30)


def test_target_and_word_count():
    assert target_words(60) == 1500
    assert reading_word_count(_content(1, words=10)) == 10 + 1 + 2
    assert content_schema(4)["additionalProperties"] is False


def test_readable_content_gives_each_part_as_text_for_the_pages_and_the_pdf():
    text = readable_content(_content(4, words=5))

    assert text["archetype"] == "L'Étoile" and text["title"] == "Lecture"
    assert text["reading"] == "Bonjour.\n\nVous\nmot mot mot mot mot\n\nAu revoir."
    assert text["ritual"].startswith("Rituel (Nouvelle lune)\n\n1. a\n2. b\n3. c")
    assert text["mandala"] == "Symboles : lune. Intention : Calme"
    assert text["guidance"].splitlines()[0] == "Jour 1 — f : p" and len(text["guidance"].splitlines()) == 30


def test_readable_content_passes_the_older_flat_content_through_and_ignores_anything_else():
    flat = {"archetype": "La Lune", "reading": "Texte.", "mandalaSvg": "<svg/>"}

    assert readable_content(flat) == flat
    assert readable_content(None) == {} and readable_content(["x"]) == {}
