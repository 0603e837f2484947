"""The content a writer must deliver for an order's level (SPEC §11 "Content schema"), and its validation.

The schema is strict (every object closed, every key required) so that it can be handed as is to a model
with JSON-Schema structured output; the same schema validates what any backend returns.
"""

import re
from functools import cache

from jsonschema import Draft202012Validator

WORDS_PER_MINUTE = 25
HEX_COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
GUIDANCE_DAYS = 30

# The only symbols the mandala drawer knows; a writer picks among them, it never sends markup.
MANDALA_SYMBOLS = (
    "soleil", "lune", "etoile", "lotus", "spirale", "oeil", "coeur", "arbre",
    "vague", "flamme", "montagne", "cle", "plume", "cristal", "serpent", "triangle",
)

# What each level's content holds; each level includes the keys of the levels below it.
SECTIONS_BY_LEVEL: dict[int, tuple[str, ...]] = {
    1: ("title", "archetype", "reading"),
    2: ("title", "archetype", "reading", "ritual", "audioScript"),
    3: ("title", "archetype", "reading", "ritual", "audioScript", "synthesis", "mandala"),
    4: ("title", "archetype", "reading", "ritual", "audioScript", "synthesis", "mandala", "guidance"),
}

_TEXT = {"type": "string", "minLength": 1}


def _closed(properties: dict) -> dict:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


_PROPERTIES = {
    "title": _TEXT,
    "archetype": _closed({"name": _TEXT, "source": _TEXT}),
    "reading": _closed({
        "intro": _TEXT,
        "sections": {"type": "array", "minItems": 1, "items": _closed({"title": _TEXT, "body": _TEXT})},
        "closing": _TEXT,
    }),
    "ritual": _closed({
        "title": _TEXT,
        "moment": _TEXT,
        "steps": {"type": "array", "minItems": 3, "items": _TEXT},
        "intention": _TEXT,
    }),
    "audioScript": _TEXT,
    "synthesis": _TEXT,
    "mandala": _closed({
        "colors": {"type": "array", "minItems": 2, "maxItems": 8, "items": {"type": "string", "pattern": HEX_COLOR_PATTERN}},
        "symbols": {"type": "array", "minItems": 1, "maxItems": 8, "items": {"type": "string", "enum": list(MANDALA_SYMBOLS)}},
        "intention": _TEXT,
    }),
    "guidance": {
        "type": "array",
        "minItems": GUIDANCE_DAYS,
        "maxItems": GUIDANCE_DAYS,
        "items": _closed({"day": {"type": "integer", "minimum": 1, "maximum": GUIDANCE_DAYS}, "focus": _TEXT, "practice": _TEXT}),
    },
}


@cache
def content_schema(level: int) -> dict:
    """JSON Schema (draft 2020-12) of the content for one level."""
    keys = SECTIONS_BY_LEVEL[level]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Lumira reading, level {level}",
        **_closed({key: _PROPERTIES[key] for key in keys}),
    }


def target_words(duration_minutes: int) -> int:
    """About 25 words per minute of the offer (≈ 750 / 1,500 / 2,250 words for Basic / Premium / VIP)."""
    return WORDS_PER_MINUTE * duration_minutes


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


def reading_word_count(content: dict) -> int:
    reading = content.get("reading") or {}
    parts = [reading.get("intro", ""), reading.get("closing", "")]
    parts += [section.get("body", "") for section in reading.get("sections", []) if isinstance(section, dict)]
    return sum(_word_count(part) for part in parts if isinstance(part, str))


def validate_content(content: object, *, level: int, duration_minutes: int) -> list[str]:
    """Every reason the content cannot become a version (empty when it can)."""
    validator = Draft202012Validator(content_schema(level))
    errors = [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(racine)'}: {error.message}"
        for error in sorted(validator.iter_errors(content), key=lambda error: list(error.absolute_path))
    ]
    if errors:
        return errors
    days = [entry["day"] for entry in content.get("guidance", [])]
    if days and sorted(days) != list(range(1, GUIDANCE_DAYS + 1)):
        errors.append("guidance: les jours doivent aller de 1 à 30, une fois chacun")
    words, minimum = reading_word_count(content), target_words(duration_minutes) // 2
    if words < minimum:
        errors.append(f"reading: {words} mots, en dessous du minimum de {minimum} (moitié de la cible)")
    return errors


def readable_content(content: object) -> dict[str, str]:
    """The content as plain French text per part (archetype, reading, ritual, synthesis, guidance…), for the
    pages and the PDF that show a reading as text. Content in the older flat shape (strings) passes through."""
    if not isinstance(content, dict):
        return {}
    reading = content.get("reading")
    if not isinstance(reading, dict):
        return {key: value for key, value in content.items() if isinstance(value, str)}
    text = {"title": content.get("title", ""), "archetype": (content.get("archetype") or {}).get("name", "")}
    parts = [reading.get("intro", "")]
    parts += [f"{section['title']}\n{section['body']}" for section in reading.get("sections", [])]
    text["reading"] = "\n\n".join([*parts, reading.get("closing", "")])
    if ritual := content.get("ritual"):
        steps = "\n".join(f"{number}. {step}" for number, step in enumerate(ritual["steps"], start=1))
        text["ritual"] = f"{ritual['title']} ({ritual['moment']})\n\n{steps}\n\nIntention : {ritual['intention']}"
    for key in ("audioScript", "synthesis"):
        if content.get(key):
            text[key] = content[key]
    if mandala := content.get("mandala"):
        text["mandala"] = f"Symboles : {', '.join(mandala['symbols'])}. Intention : {mandala['intention']}"
    if guidance := content.get("guidance"):
        text["guidance"] = "\n".join(f"Jour {entry['day']} — {entry['focus']} : {entry['practice']}" for entry in guidance)
    return text
