"""Intake → natal chart (SPEC §11 "Intake → chart"), returned as the SPEC §9 `chart` dict (camelCase, JSON-ready).

- Positions: apparent geocentric ecliptic longitudes of date from DE421 (engine.ephemeris); retrograde when
  the longitude decreases over the six hours around the birth.
- Time: the local civil time is turned into UTC with the place's historical offset (zoneinfo). A time the
  clocks skipped (spring forward) is refused; a time that happened twice (autumn) is taken the first time.
- Unknown time (or unknown place): positions at local noon (UTC noon without a place), no Ascendant,
  Midheaven or houses, and a note saying so; the Moon, moving ~13° a day, may then be off by up to ~7°.
- Houses: Placidus, whole signs beyond 66° of latitude (engine.houses).
- Aspects between the ten bodies, tightest first. Orbs: conjunction, opposition, square and trine 8° when
  the Sun or Moon is involved, 6° otherwise; sextile 5° with a luminary, 4° otherwise.
- Moon phase: eight names, each a 45° band of the Moon–Sun elongation centred on 0°, 45°, 90°…;
  illumination = (1 − cos elongation) / 2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from engine import ephemeris
from engine.houses import ascendant as _ascendant
from engine.houses import house_cusps, house_of
from engine.houses import midheaven as _midheaven
from engine.numerology import chinese_element, chinese_sign, expression_number, life_path, tarot_cards
from engine.places import Place

EPHEMERIS_FIRST_DATE = date(1900, 1, 1)
EPHEMERIS_LAST_DATE = date(2050, 12, 31)

SIGNS = (
    "Bélier", "Taureau", "Gémeaux", "Cancer", "Lion", "Vierge",
    "Balance", "Scorpion", "Sagittaire", "Capricorne", "Verseau", "Poissons",
)
SIGN_GLYPHS = ("♈", "♉", "♊", "♋", "♌", "♍", "♎", "♏", "♐", "♑", "♒", "♓")
BODY_KEYS = ephemeris.BODY_KEYS
BODY_NAMES = {
    "sun": "Soleil", "moon": "Lune", "mercury": "Mercure", "venus": "Vénus", "mars": "Mars",
    "jupiter": "Jupiter", "saturn": "Saturne", "uranus": "Uranus", "neptune": "Neptune", "pluto": "Pluton",
}
BODY_GLYPHS = {
    "sun": "☉", "moon": "☽", "mercury": "☿", "venus": "♀", "mars": "♂",
    "jupiter": "♃", "saturn": "♄", "uranus": "♅", "neptune": "♆", "pluto": "♇",
}
ASPECTS = (("conjunction", 0.0), ("sextile", 60.0), ("square", 90.0), ("trine", 120.0), ("opposition", 180.0))
ASPECT_NAMES = {
    "conjunction": "conjonction", "sextile": "sextile", "square": "carré", "trine": "trigone", "opposition": "opposition",
}
LUMINARIES = frozenset({"sun", "moon"})
MOON_PHASES = (
    "Nouvelle Lune", "Premier croissant", "Premier quartier", "Gibbeuse croissante",
    "Pleine Lune", "Gibbeuse décroissante", "Dernier quartier", "Dernier croissant",
)
NOTE_TIME_UNKNOWN = (
    "Heure de naissance inconnue : positions calculées à midi (heure locale) ; sans heure, l'Ascendant, le "
    "Milieu du Ciel et les maisons ne peuvent pas être établis, et la Lune peut être décalée de ±7° "
    "(parfois d'un signe)."
)
NOTE_PLACE_UNKNOWN = (
    "Lieu de naissance inconnu : positions calculées à midi (temps universel) ; sans lieu, l'Ascendant, le "
    "Milieu du Ciel et les maisons ne peuvent pas être établis, et la Lune peut être décalée de ±7° "
    "(parfois d'un signe)."
)


class BirthDataError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class BirthData:
    birth_date: date
    birth_time: time | None
    place: Place | None
    full_name: str = ""


def orb_deg(kind: str, a: str, b: str) -> float:
    luminary = a in LUMINARIES or b in LUMINARIES
    if kind == "sextile":
        return 5.0 if luminary else 4.0
    return 8.0 if luminary else 6.0


def sign_index(longitude_deg: float) -> int:
    return int(longitude_deg % 360.0 // 30.0) % 12


def sign_of(longitude_deg: float) -> str:
    return SIGNS[sign_index(longitude_deg)]


def check_birth_date(birth_date: date) -> None:
    if not EPHEMERIS_FIRST_DATE <= birth_date <= EPHEMERIS_LAST_DATE:
        raise BirthDataError("birthDate", "La date de naissance doit être comprise entre 1900 et 2050.")
    if birth_date > datetime.now(UTC).date() + timedelta(days=1):
        raise BirthDataError("birthDate", "La date de naissance ne peut pas être dans le futur.")


def birth_moment_utc(birth: BirthData) -> tuple[datetime, int | None]:
    """The UTC instant of the birth and the local UTC offset in minutes (None without a place)."""
    check_birth_date(birth.birth_date)
    if birth.place is None:
        return datetime.combine(birth.birth_date, time(12), tzinfo=UTC), None
    zone = ZoneInfo(birth.place.timezone)
    local = datetime.combine(birth.birth_date, birth.birth_time or time(12), tzinfo=zone)
    moment = local.astimezone(UTC)
    # A skipped local time (02:30 on a spring-forward night) does not survive the round trip.
    if moment.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise BirthDataError(
            "birthTime",
            "Cette heure n'a pas existé ce jour-là à cet endroit (passage à l'heure d'été) : vérifiez l'heure.",
        )
    return moment, int(local.utcoffset().total_seconds() // 60)


def _separation(a: float, b: float) -> float:
    return abs((a - b + 180.0) % 360.0 - 180.0)


def find_aspects(positions: dict[str, float], keys: tuple[str, ...] = BODY_KEYS) -> list[dict]:
    """Major aspects between bodies of one chart, tightest first."""
    found = []
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            aspect = aspect_between(positions[a], positions[b], a, b)
            if aspect:
                found.append({"a": a, "b": b, **aspect})
    found.sort(key=lambda x: x["orb"])
    return found


def aspect_between(lon_a: float, lon_b: float, key_a: str, key_b: str) -> dict | None:
    separation = _separation(lon_a, lon_b)
    for kind, angle in ASPECTS:
        orb = abs(separation - angle)
        if orb <= orb_deg(kind, key_a, key_b):
            return {"type": kind, "orb": round(orb, 2)}
    return None


def moon_phase(sun_deg: float, moon_deg: float) -> dict:
    elongation = (moon_deg - sun_deg) % 360.0
    name = MOON_PHASES[int((elongation + 22.5) % 360.0 // 45.0)]
    illumination = (1.0 - math.cos(math.radians(elongation))) / 2.0
    return {"name": name, "illumination": round(illumination, 3), "elongation": round(elongation, 2)}


def _body_entry(key: str, longitude: float, speed: float) -> dict:
    index = sign_index(longitude)
    return {
        "key": key,
        "name": BODY_NAMES[key],
        "glyph": BODY_GLYPHS[key],
        "longitude": round(longitude, 4),
        "sign": SIGNS[index],
        "signGlyph": SIGN_GLYPHS[index],
        "degree": round(longitude - 30.0 * index, 4),
        "retrograde": bool(speed < 0),
        "speed": round(speed, 4),
    }


def compute_chart(birth: BirthData) -> dict:
    moment, offset_minutes = birth_moment_utc(birth)
    time_known = birth.birth_time is not None and birth.place is not None
    positions = ephemeris.longitudes_and_speeds(moment)
    bodies = [_body_entry(key, *positions[key]) for key in BODY_KEYS]
    longitudes = {key: lon for key, (lon, _) in positions.items()}

    angles = houses = system = None
    if time_known:
        gast_deg, obliquity = ephemeris.sidereal_frame(moment)
        ramc = (gast_deg + birth.place.longitude_deg) % 360.0
        system, cusps = house_cusps(ramc, birth.place.latitude_deg, obliquity)
        # Not cusps[0]: with whole-sign houses the first cusp is the start of the Ascendant's sign.
        asc, mc = _ascendant(ramc, birth.place.latitude_deg, obliquity), _midheaven(ramc, obliquity)
        angles = {"ascendant": round(asc, 4), "midheaven": round(mc, 4),
                  "ascendantSign": sign_of(asc), "midheavenSign": sign_of(mc)}
        houses = [round(c, 4) for c in cusps]
        for body in bodies:
            body["house"] = house_of(body["longitude"], cusps)

    place = None
    if birth.place is not None:
        place = {"name": birth.place.label, "latitude": birth.place.latitude_deg,
                 "longitude": birth.place.longitude_deg, "timezone": birth.place.timezone,
                 "utcOffset": offset_minutes}
    chart = {
        "timeKnown": time_known,
        "moment": moment.isoformat().replace("+00:00", "Z"),
        "place": place,
        "bodies": bodies,
        "angles": angles,
        "houseSystem": system,
        "houses": houses,
        "aspects": find_aspects(longitudes),
        "moonPhase": moon_phase(longitudes["sun"], longitudes["moon"]),
        "numerology": {"lifePath": life_path(birth.birth_date), "expression": expression_number(birth.full_name)},
        "tarot": tarot_cards(birth.birth_date),
        "chineseSign": chinese_sign(birth.birth_date),
        "chineseElement": chinese_element(birth.birth_date),
    }
    if not time_known:
        chart["note"] = NOTE_TIME_UNKNOWN if birth.place is not None else NOTE_PLACE_UNKNOWN
    return chart
