"""How a stored chart (SPEC §9 `chart`) reads on a page: the rows of its table and its wheel.

Shared by the desk and the Sanctuaire (and the PDF), so that the expert and the client read the same
names. The wheel is Lumira's own SVG, drawn by the engine from numbers only: nothing in it comes from
the client or an AI, which is why the templates may insert it as markup.
"""

from django.utils.safestring import SafeString, mark_safe

BODY_NAMES = {
    "sun": "Soleil", "moon": "Lune", "mercury": "Mercure", "venus": "Vénus", "mars": "Mars",
    "jupiter": "Jupiter", "saturn": "Saturne", "uranus": "Uranus", "neptune": "Neptune", "pluto": "Pluton",
}
ASPECT_NAMES = {
    "conjunction": "conjonction", "sextile": "sextile", "square": "carré", "trine": "trigone",
    "opposition": "opposition",
}
SIGN_NAMES = (
    "Bélier", "Taureau", "Gémeaux", "Cancer", "Lion", "Vierge",
    "Balance", "Scorpion", "Sagittaire", "Capricorne", "Verseau", "Poissons",
)
NO_HOUSES_TIME = "Heure inconnue : pas de maisons ni d'Ascendant."
NO_HOUSES_PLACE = "Lieu inconnu : pas de maisons ni d'Ascendant."


def degrees_label(value: float) -> str:
    """12.5 → "12°30′" (degrees and minutes of arc within the sign)."""
    minutes = round(float(value) * 60)
    return f"{minutes // 60}°{minutes % 60:02d}′"


def _position(longitude: float) -> tuple[str, str]:
    longitude = float(longitude) % 360
    return SIGN_NAMES[int(longitude // 30)], degrees_label(longitude % 30)


def utc_offset_label(minutes: int | None) -> str:
    """60 → "UTC+01:00" ("" when unknown)."""
    if minutes is None:
        return ""
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _house_of(longitude: float, cusps: list[float]) -> int | None:
    for index in range(12):
        start, end = cusps[index] % 360, cusps[(index + 1) % 12] % 360
        span = (end - start) % 360
        if (longitude - start) % 360 < span:
            return index + 1
    return None


def chart_table(chart: dict | None) -> dict | None:
    """The rows a chart table shows, in French; None without a chart."""
    if not chart:
        return None
    houses = chart.get("houses") or None
    bodies = []
    for body in chart.get("bodies", []):
        house = body.get("house") or (_house_of(body["longitude"], houses) if houses else None)
        bodies.append({
            "name": BODY_NAMES.get(body["key"], body["key"]),
            "sign": body["sign"],
            "degree": degrees_label(body["degree"]),
            "house": house,
            "retrograde": bool(body.get("retrograde")),
        })
    angles = []
    for key, name in (("ascendant", "Ascendant"), ("midheaven", "Milieu du Ciel")):
        if (chart.get("angles") or {}).get(key) is not None:
            sign, degree = _position(chart["angles"][key])
            angles.append({"name": name, "sign": sign, "degree": degree})
    aspects = [
        {
            "a": BODY_NAMES.get(aspect["a"], aspect["a"]),
            "b": BODY_NAMES.get(aspect["b"], aspect["b"]),
            "type": ASPECT_NAMES.get(aspect["type"], aspect["type"]),
            "orb": degrees_label(abs(aspect["orb"])),
        }
        for aspect in chart.get("aspects", [])
    ]
    numerology = chart.get("numerology") or {}
    return {
        "bodies": bodies,
        "angles": angles,
        "houses_known": bool(houses),
        "house_system": chart.get("houseSystem") or "",
        "no_houses_note": "" if houses else (NO_HOUSES_PLACE if chart.get("timeKnown") else NO_HOUSES_TIME),
        "note": chart.get("note") or "",  # the engine's explanation (e.g. the Moon's uncertainty without a time)
        "aspects": aspects,
        "moon_phase": chart.get("moonPhase") or {},
        "life_path": numerology.get("lifePath"),
        "expression": numerology.get("expression"),
        "tarot": ", ".join(f"{card['number']} · {card['name']}" for card in chart.get("tarot", [])),
        "chinese_sign": chart.get("chineseSign") or "",
        "place": chart.get("place") or None,
        "utc_offset": utc_offset_label((chart.get("place") or {}).get("utcOffset")),
        "time_known": bool(chart.get("timeKnown")),
    }


def chart_wheel(chart: dict | None, *, size_px: int = 480) -> SafeString:
    """The wheel as inline SVG markup ("" without a chart)."""
    if not chart:
        return mark_safe("")
    from engine.wheel import chart_wheel_svg

    # Safe to insert as markup: Lumira's drawing, made from the chart's numbers and fixed names only.
    return mark_safe(chart_wheel_svg(chart, size_px=size_px))  # noqa: S308
