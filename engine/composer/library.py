"""The composer's text library and its small tools: loading the JSON families, deterministic picks, French words.

Texts live in `engine/texts/` (interpretation prose, format in FORMAT.md) and `engine/composer/frames.json` (the
composer's own connecting phrases: paraphrases, palettes, revision cues). Both are loaded once per process.
"""

from __future__ import annotations

import hashlib
import json
import re
import string
import unicodedata
from collections.abc import Sequence
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

TEXTS_DIR = Path(__file__).resolve().parent.parent / "texts"
FRAMES_PATH = Path(__file__).resolve().parent / "frames.json"

SIGN_SLUGS = (
    "belier", "taureau", "gemeaux", "cancer", "lion", "vierge",
    "balance", "scorpion", "sagittaire", "capricorne", "verseau", "poissons",
)
ELEMENTS = ("feu", "terre", "air", "eau")
MODALITIES = ("cardinal", "fixe", "mutable")
THEMES = ("amour", "travail", "argent", "bienetre", "famille", "spiritualite", "changement", "creativite")

GUIDANCE_TZ = "Europe/Paris"  # dates are told in the client's zone when known, else Lumira's
_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)
_FIELDS = {"prenom", "astre", "a", "b"}
_VOWELS = set("aeiou")


@cache
def texts(family: str) -> dict:
    """One family of interpretation texts (e.g. "sun" → engine/texts/sun.json)."""
    return json.loads((TEXTS_DIR / f"{family}.json").read_text(encoding="utf-8"))


@cache
def frames() -> dict:
    return json.loads(FRAMES_PATH.read_text(encoding="utf-8"))


def fill(text: str, **values: str) -> str:
    """`str.format` restricted to the documented placeholders; a text naming another field is a data error."""
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    unknown = names - _FIELDS
    if unknown:
        raise ValueError(f"unknown placeholder(s) {sorted(unknown)} in text: {text[:60]}…")
    if plain(values.get("prenom", ""))[:1] in _VOWELS:  # "La lumière de {prenom}" → "La lumière d'Élodie"
        text = re.sub(r"\b([dD]e|[qQ]ue) \{prenom\}", lambda m: m.group(1)[:-1] + "'{prenom}", text)
    return text.format(**{name: values.get(name, "") for name in names})


@lru_cache(maxsize=4096)
def plain(text: str) -> str:
    """Lowercase without accents, for matching keywords and sign names."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def sign_slug(sign_name: str) -> str:
    slug = re.sub(r"[^a-z]", "", plain(sign_name))
    if slug not in SIGN_SLUGS:
        raise ValueError(f"unknown sign {sign_name!r}")
    return slug


class Picker:
    """Deterministic choices from a seed: the same seed and key always give the same pick (no `random`)."""

    def __init__(self, seed: str):
        self.seed = seed

    def number(self, key: str) -> int:
        return int.from_bytes(hashlib.sha256(f"{self.seed}\x1f{key}".encode()).digest()[:8], "big")

    def choice(self, key: str, options: Sequence):
        return options[self.number(key) % len(options)]

    def order(self, key: str, options: Sequence) -> list:
        """The options in a seed-stable shuffled order."""
        return sorted(options, key=lambda option: self.number(f"{key}\x1f{option}"))


def words(text: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


def sentences(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"(?<=[.!?…])\s+(?=[A-ZÀ-ÖØ-Ý«])", text) if part.strip()]


def french_date(day: date, *, weekday: bool = True) -> str:
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number} {_MONTHS[day.month - 1]} {day.year}"
    return f"{_DAYS[day.weekday()]} {text}" if weekday else text


def french_degree(degree: float) -> str:
    whole = int(degree)
    return "1 degré" if whole <= 1 else f"{whole} degrés"


def of_element(element: str) -> str:
    """"de feu", "d'air", "d'eau", "de terre"."""
    return f"d'{element}" if element[0] in "aeiou" else f"de {element}"


def to_name(name: str) -> str:
    """"Le Mat" → "au Mat", "La Papesse" → "à la Papesse", "L'Étoile" → "à l'Étoile", "Les Amoureux" → "aux Amoureux"."""
    for article, contracted in (("Le ", "au "), ("Les ", "aux "), ("La ", "à la "), ("L'", "à l'"), ("L’", "à l’")):
        if name.startswith(article):
            return contracted + name[len(article):]
    return f"à {name}"


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]
