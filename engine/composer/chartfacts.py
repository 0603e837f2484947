"""What the composer reads from the SPEC §9 `chart` dict: signs as slugs, houses, element balance, tight aspects."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from engine.composer.library import ELEMENTS, MODALITIES, SIGN_SLUGS, sign_slug, texts

# How much each body counts in the element and modality balance (the lights and the Ascendant weigh most).
_WEIGHTS = {"sun": 3, "moon": 3, "mercury": 2, "venus": 2, "mars": 2, "jupiter": 1, "saturn": 1,
            "uranus": 0.5, "neptune": 0.5, "pluto": 0.5}
_ASCENDANT_WEIGHT = 3
_MAJOR_ORB_ORDER = ("conjunction", "opposition", "square", "trine", "sextile")
FLAVOURS = {"conjunction": "fusion", "sextile": "flow", "trine": "flow", "square": "tension", "opposition": "tension"}


@dataclass(frozen=True)
class Body:
    key: str
    sign: str  # slug
    sign_name: str
    degree: float
    retrograde: bool
    house: int | None


@dataclass(frozen=True)
class Aspect:
    a: str
    b: str
    type: str
    orb: float

    @property
    def flavour(self) -> str:
        return FLAVOURS[self.type]


class ChartFacts:
    def __init__(self, chart: dict | None):
        self.chart = chart or {}
        cusps = self.chart.get("houses") or None
        self.bodies: dict[str, Body] = {}
        for raw in self.chart.get("bodies") or []:
            slug = sign_slug(raw["sign"])
            house = raw.get("house") or (house_of(raw["longitude"], cusps) if cusps else None)
            self.bodies[raw["key"]] = Body(raw["key"], slug, texts("signs")[slug]["name"], float(raw["degree"]),
                                           bool(raw.get("retrograde")), house)
        angles = self.chart.get("angles") or None
        self.time_known = bool(self.chart.get("timeKnown")) and angles is not None
        self.ascendant = sign_of(angles["ascendant"]) if self.time_known else None
        self.midheaven = sign_of(angles["midheaven"]) if self.time_known else None
        self.aspects = sorted(
            (Aspect(raw["a"], raw["b"], raw["type"], float(raw["orb"])) for raw in self.chart.get("aspects") or []),
            key=lambda aspect: (aspect.orb, _MAJOR_ORB_ORDER.index(aspect.type), aspect.a, aspect.b),
        )
        numerology = self.chart.get("numerology") or {}
        self.life_path = numerology.get("lifePath")
        self.expression = numerology.get("expression")
        tarot = self.chart.get("tarot") or []
        self.arcanum = (int(tarot[0]["number"]) % 22) if tarot else None
        self.place = self.chart.get("place") or None

    def body(self, key: str) -> Body | None:
        return self.bodies.get(key)

    def sign_info(self, slug: str) -> dict:
        return texts("signs")[slug]

    def element_balance(self) -> Counter:
        balance: Counter = Counter({element: 0 for element in ELEMENTS})
        for body in self.bodies.values():
            balance[self.sign_info(body.sign)["element"]] += _WEIGHTS.get(body.key, 0)
        if self.ascendant:
            balance[self.sign_info(self.ascendant)["element"]] += _ASCENDANT_WEIGHT
        return balance

    def modality_balance(self) -> Counter:
        balance: Counter = Counter({modality: 0 for modality in MODALITIES})
        for body in self.bodies.values():
            balance[self.sign_info(body.sign)["modality"]] += _WEIGHTS.get(body.key, 0)
        return balance

    def elements_by_weight(self) -> list[str]:
        balance = self.element_balance()
        return sorted(ELEMENTS, key=lambda element: (-balance[element], ELEMENTS.index(element)))

    def dominant_element(self) -> str:
        if not self.bodies:
            return "eau"
        return self.elements_by_weight()[0]

    def missing_element(self) -> str | None:
        """An element no personal body (Sun to Mars) nor the Ascendant occupies, if any."""
        personal = {"sun", "moon", "mercury", "venus", "mars"}
        present = {self.sign_info(body.sign)["element"] for body in self.bodies.values() if body.key in personal}
        if self.ascendant:
            present.add(self.sign_info(self.ascendant)["element"])
        missing = [element for element in ELEMENTS if element not in present]
        return missing[0] if missing and self.bodies else None

    def dominant_modality(self) -> str:
        balance = self.modality_balance()
        return sorted(MODALITIES, key=lambda modality: (-balance[modality], MODALITIES.index(modality)))[0]


def sign_of(longitude_deg: float) -> str:
    return SIGN_SLUGS[int((longitude_deg % 360) // 30)]


def house_of(longitude_deg: float, cusps: list[float]) -> int:
    """The house (1–12) whose cusp span holds the longitude, cusps in zodiac order from the Ascendant."""
    for index in range(12):
        start, end = cusps[index] % 360, cusps[(index + 1) % 12] % 360
        span = (end - start) % 360
        if (longitude_deg - start) % 360 < span:
            return index + 1
    return 1
