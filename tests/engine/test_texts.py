"""The interpretation texts (engine/texts/*.json): every key the composer reads is there, every text formats with
the agreed placeholders, and every text's length is within the range the composer counts on (engine/texts/FORMAT.md).

Run `python tests/engine/test_texts.py` for a table of word counts per file.
"""

import json
import re
import string
from pathlib import Path

import pytest

TEXTS = Path(__file__).resolve().parents[2] / "engine" / "texts"

SIGNS = [
    "belier",
    "taureau",
    "gemeaux",
    "cancer",
    "lion",
    "vierge",
    "balance",
    "scorpion",
    "sagittaire",
    "capricorne",
    "verseau",
    "poissons",
]
PLANETS = ["sun", "moon", "mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune", "pluto"]
ELEMENTS = ["feu", "terre", "air", "eau"]
MODALITIES = ["cardinal", "fixe", "mutable"]
FLAVOURS = ["fusion", "flow", "tension"]
MOON_THIRDS = ["early", "middle", "late"]
THEMES = ["amour", "travail", "argent", "bienetre", "famille", "spiritualite", "changement", "creativite"]
NUMBERS = [str(n) for n in range(1, 10)] + ["11", "22", "33"]
ASPECT_TYPES = ["conjunction", "sextile", "square", "trine", "opposition"]
PAIRS = [
    "sun-moon",
    "sun-mercury",
    "sun-venus",
    "sun-mars",
    "sun-jupiter",
    "sun-saturn",
    "moon-venus",
    "moon-mars",
    "moon-saturn",
    "moon-neptune",
    "mercury-jupiter",
    "venus-mars",
    "venus-saturn",
    "mars-saturn",
    "sun-pluto",
]
PLACEHOLDERS = {"prenom": "Camille", "astre": "votre Soleil", "a": "votre façon d'aimer", "b": "votre élan"}
# A quiet day's guidance opens with the composer's « Aucun aspect serré ne touche votre thème ce jour-là. »: a quiet
# practice that also spoke of the day or the sky would say the same thing twice.
QUIET_RESTATEMENT = re.compile(
    r"\b(?:calme|tranquille|neutre|pause|répit|sans tension|aucune?|aspects?|configurations?|ciel|céleste|journée)\b",
    re.IGNORECASE,
)


def words(text: str) -> int:
    """Words as the composer counts them: "l'âme" and "peut-être" are one word, punctuation is none."""
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


def _load(name: str):
    return json.loads((TEXTS / name).read_text(encoding="utf-8"))


def _keys(mapping, expected, where):
    assert isinstance(mapping, dict), f"{where}: not an object"
    assert sorted(mapping) == sorted(expected), f"{where}: keys {sorted(mapping)} != {sorted(expected)}"


# Each entry: (where, text, min words, max words, placeholders the text must use). Min/max None = no range.
def _texts_signs(data):
    _keys(data, SIGNS, "signs")
    for slug, sign in data.items():
        _keys(sign, ["name", "element", "modality", "ruler", "keywords"], f"signs.{slug}")
        assert sign["element"] in ELEMENTS and sign["modality"] in MODALITIES and sign["ruler"] in PLANETS, slug
        assert len(sign["keywords"]) == 4, slug
        yield f"signs.{slug}.name", sign["name"], None, None, ()
        for kw in sign["keywords"]:
            yield f"signs.{slug}.keywords", kw, None, None, ()


def _by_sign(data, name, ranges):
    _keys(data, SIGNS, name)
    for slug, entry in data.items():
        _keys(entry, ranges, f"{name}.{slug}")
        for key, (lo, hi) in ranges.items():
            yield f"{name}.{slug}.{key}", entry[key], lo, hi, ()


def _texts_sun(data):
    ranges = {"core": (140, 180)} | {key: (60, 90) for key in ["amour", "travail", "argent", "ombre", "don"]}
    yield from _by_sign(data, "sun", ranges)


def _texts_moon(data):
    yield from _by_sign(data, "moon", {"core": (110, 140), "besoins": (50, 70), "famille": (50, 70)})


def _texts_ascendant(data):
    yield from _by_sign(data, "ascendant", {"core": (100, 130), "presence": (40, 60)})


def _texts_planets(data):
    _keys(data, ["functions", "mercury", "venus", "mars", "jupiter", "saturn"], "planets")
    _keys(data["functions"], PLANETS, "planets.functions")
    for planet, entry in data["functions"].items():
        _keys(entry, ["name", "article_name", "function"], f"planets.functions.{planet}")
        for key, value in entry.items():
            yield f"planets.functions.{planet}.{key}", value, None, None, ()
    for planet in ["mercury", "venus", "mars", "jupiter", "saturn"]:
        lo, hi = (50, 70) if planet in ("mercury", "venus", "mars") else (35, 50)
        _keys(data[planet], SIGNS, f"planets.{planet}")
        for slug, text in data[planet].items():
            yield f"planets.{planet}.{slug}", text, lo, hi, ()


def _texts_houses(data):
    _keys(data, [str(n) for n in range(1, 13)], "houses")
    for number, entry in data.items():
        _keys(entry, ["title", "text"], f"houses.{number}")
        yield f"houses.{number}.title", entry["title"], None, None, ()
        yield f"houses.{number}.text", entry["text"], 50, 70, ("astre",)


def _texts_aspects(data):
    _keys(data, ["types", "pairs"], "aspects")
    _keys(data["types"], ASPECT_TYPES, "aspects.types")
    for kind, entry in data["types"].items():
        _keys(entry, ["name", "text"], f"aspects.types.{kind}")
        yield f"aspects.types.{kind}.name", entry["name"], None, None, ()
        yield f"aspects.types.{kind}.text", entry["text"], 60, 80, ("a", "b")
    _keys(data["pairs"], PAIRS, "aspects.pairs")
    for pair, entry in data["pairs"].items():
        _keys(entry, FLAVOURS, f"aspects.pairs.{pair}")
        for flavour, text in entry.items():
            yield f"aspects.pairs.{pair}.{flavour}", text, 40, 60, ()


def _texts_life_path(data):
    _keys(data, NUMBERS, "life_path")
    for number, entry in data.items():
        _keys(entry, ["title", "text"], f"life_path.{number}")
        yield f"life_path.{number}.title", entry["title"], None, None, ()
        yield f"life_path.{number}.text", entry["text"], 90, 120, ()


def _texts_expression(data):
    _keys(data, NUMBERS, "expression")
    for number, text in data.items():
        yield f"expression.{number}", text, 40, 60, ()


def _texts_arcana(data):
    _keys(data, [str(n) for n in range(22)], "arcana")
    for number, entry in data.items():
        _keys(entry, ["name", "keywords", "text"], f"arcana.{number}")
        assert len(entry["keywords"]) == 3, number
        yield f"arcana.{number}.name", entry["name"], None, None, ()
        yield f"arcana.{number}.text", entry["text"], 90, 120, ()
    assert data["0"]["name"] == "Le Mat" and data["1"]["name"] == "Le Bateleur"
    assert data["13"]["name"] == "L'Arcane sans nom" and data["21"]["name"] == "Le Monde"


def _texts_themes(data):
    _keys(data, THEMES, "themes")
    for theme, entry in data.items():
        _keys(entry, ["label", "section_title", "keywords", "by_element"], f"themes.{theme}")
        assert 10 <= len(entry["keywords"]) <= 20, theme
        assert all(kw == kw.lower() and kw.strip() == kw and kw for kw in entry["keywords"]), theme
        _keys(entry["by_element"], ELEMENTS, f"themes.{theme}.by_element")
        yield f"themes.{theme}.label", entry["label"], None, None, ()
        yield f"themes.{theme}.section_title", entry["section_title"], None, None, ()
        for element, text in entry["by_element"].items():
            yield f"themes.{theme}.by_element.{element}", text, 70, 90, ()


def _texts_rituals(data):
    _keys(data, ["new", "full"], "rituals")
    for phase, by_element in data.items():
        _keys(by_element, ELEMENTS, f"rituals.{phase}")
        for element, ritual in by_element.items():
            where = f"rituals.{phase}.{element}"
            _keys(ritual, ["title", "steps", "intention"], where)
            assert len(ritual["steps"]) == 6, where
            yield f"{where}.title", ritual["title"], None, None, ()
            yield f"{where}.intention", ritual["intention"], None, None, ()
            for i, step in enumerate(ritual["steps"]):
                yield f"{where}.steps.{i}", step, 15, 30, ()


def _texts_transits(data):
    _keys(data, ["moon_signs", "practices", "quiet"], "transits")
    _keys(data["moon_signs"], SIGNS, "transits.moon_signs")
    for slug, thirds in data["moon_signs"].items():
        _keys(thirds, MOON_THIRDS, f"transits.moon_signs.{slug}")
        assert len(set(thirds.values())) == 3, f"transits.moon_signs.{slug}: three different texts"
        for third, text in thirds.items():
            # The guidance prints it after "Lune en Bélier :", so a colon of its own would make two in a row.
            assert ":" not in text, f"transits.moon_signs.{slug}.{third}: no colon"
            yield f"transits.moon_signs.{slug}.{third}", text, 8, 14, ()
    _keys(data["practices"], PLANETS, "transits.practices")
    for planet, entry in data["practices"].items():
        _keys(entry, FLAVOURS, f"transits.practices.{planet}")
        for flavour, text in entry.items():
            yield f"transits.practices.{planet}.{flavour}", text, 20, 35, ()
    assert len(data["quiet"]) == 8
    for i, text in enumerate(data["quiet"]):
        assert not QUIET_RESTATEMENT.search(text), f"transits.quiet.{i}: the guidance's lead already says the day is quiet"
        yield f"transits.quiet.{i}", text, 20, 35, ()


def _texts_synthesis(data):
    _keys(data, ["dominant", "missing", "modality"], "synthesis")
    _keys(data["dominant"], ELEMENTS, "synthesis.dominant")
    _keys(data["missing"], ELEMENTS, "synthesis.missing")
    _keys(data["modality"], MODALITIES, "synthesis.modality")
    for group, entries in data.items():
        for key, text in entries.items():
            yield f"synthesis.{group}.{key}", text, 60, 80, ()


def _texts_phrases(data):
    _keys(data, ["intros", "closings", "transitions", "titles"], "phrases")
    counts = {"intros": 6, "closings": 6, "transitions": 10, "titles": 6}
    for group, count in counts.items():
        assert len(data[group]) == count, group
    for group in ("intros", "closings"):
        for i, text in enumerate(data[group]):
            yield f"phrases.{group}.{i}", text, 50, 80, ("prenom",)
    for i, text in enumerate(data["transitions"]):
        yield f"phrases.transitions.{i}", text, 3, 20, ()
    for i, text in enumerate(data["titles"]):
        yield f"phrases.titles.{i}", text, 2, 12, ("prenom",)


FILES = {
    "signs.json": _texts_signs,
    "sun.json": _texts_sun,
    "moon.json": _texts_moon,
    "ascendant.json": _texts_ascendant,
    "phrases.json": _texts_phrases,
    "themes.json": _texts_themes,
    "life_path.json": _texts_life_path,
    "arcana.json": _texts_arcana,
    "planets.json": _texts_planets,
    "aspects.json": _texts_aspects,
    "houses.json": _texts_houses,
    "rituals.json": _texts_rituals,
    "transits.json": _texts_transits,
    "synthesis.json": _texts_synthesis,
    "expression.json": _texts_expression,
}


def _entries(name):
    return list(FILES[name](_load(name)))


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_texts_file_has_every_key_the_composer_reads(name):
    entries = _entries(name)
    assert entries
    assert all(isinstance(text, str) and text.strip() == text and text for _, text, *_ in entries)


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_text_uses_only_the_agreed_placeholders_and_formats(name):
    for where, text, _, _, required in _entries(name):
        fields = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
        assert fields <= set(PLACEHOLDERS), f"{where}: unknown placeholders {fields - set(PLACEHOLDERS)}"
        assert set(required) <= fields, f"{where}: must use {required}"
        formatted = text.format(**PLACEHOLDERS)
        assert "{" not in formatted and "}" not in formatted, where


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_text_length_is_within_the_range_the_composer_counts_on(name):
    wrong = [
        f"{where}: {words(text)} words, expected {lo}-{hi}"
        for where, text, lo, hi, _ in _entries(name)
        if lo is not None and not lo <= words(text) <= hi
    ]
    assert wrong == []


def test_texts_keep_one_apostrophe_and_the_vouvoiement():
    for name in FILES:
        raw = (TEXTS / name).read_text(encoding="utf-8")
        assert "\u2019" not in raw, f"{name}: curly apostrophe (the library uses the straight one)"
        for where, text, lo, _, _ in _entries(name):
            if lo is not None and lo >= 35:
                lowered = f" {text.lower()} "
                assert " tu " not in lowered and " toi " not in lowered and " ta " not in lowered, where


def test_sun_moon_and_ascendant_texts_of_a_sign_say_different_things():
    sun, moon, asc = _load("sun.json"), _load("moon.json"), _load("ascendant.json")
    for slug in SIGNS:
        cores = [sun[slug]["core"], moon[slug]["core"], asc[slug]["core"]]
        openings = {" ".join(core.split()[:6]) for core in cores}
        assert len(openings) == 3, slug


def _table():
    total = 0
    print(f"{'file':<18}{'texts':>7}{'words':>8}  out of range")
    for name in FILES:
        if not (TEXTS / name).exists():
            print(f"{name:<18}{'missing':>7}")
            continue
        try:
            entries = _entries(name)
        except (AssertionError, KeyError, json.JSONDecodeError) as exc:
            print(f"{name:<18} INVALID: {exc}")
            continue
        ranged = [e for e in entries if e[2] is not None]
        count = sum(words(text) for _, text, *_ in ranged)
        total += count
        bad = [f"{w}={words(t)}({lo}-{hi})" for w, t, lo, hi, _ in ranged if not lo <= words(t) <= hi]
        print(f"{name:<18}{len(ranged):>7}{count:>8}  {' '.join(bad)}")
    print(f"{'total':<18}{'':>7}{total:>8}")


if __name__ == "__main__":
    _table()
