"""The chart wheel as a standalone SVG, drawn by Lumira from the chart dict (no script, no external reference).

Astrologers' orientation: the Ascendant on the left (0° Bélier when the time is unknown), longitudes
growing counter-clockwise. From the outside in: the zodiac ring (signs coloured by element, degree ticks),
the planets (glyphs spread apart when they crowd, each with a tick at its true longitude), the house cusps
with the Ascendant and Midheaven drawn thicker, and the aspects as lines across the centre.
Every text comes from our own tables or numbers; the only free text (the place) is XML-escaped.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from engine.chart import ASPECT_NAMES, BODY_GLYPHS, BODY_NAMES, SIGN_GLYPHS, SIGNS

VIEW = 480.0
CENTRE = VIEW / 2
R_OUTER = 232.0
R_SIGNS = 196.0  # inner edge of the zodiac ring
R_PLANETS = 168.0
R_HOUSE_NUMBERS = 118.0
R_ASPECTS = 104.0
MIN_GLYPH_GAP_DEG = 8.0
TEXT_STYLE = "\ufe0e"  # asks for the text (not emoji) rendering of the glyph

ELEMENT_COLOURS = ("#d9573b", "#6b8f47", "#c99a2e", "#3f7fae")  # fire, earth, air, water (sign index % 4)
ELEMENT_FILLS = ("#fbe4dc", "#e5eedb", "#f8ecd0", "#dde9f3")
ASPECT_COLOURS = {"sextile": "#2a9d8f", "trine": "#2f6fd0", "square": "#d1495b", "opposition": "#9b2335"}
INK = "#2b2540"
MUTED = "#8a84a3"


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


class _Wheel:
    def __init__(self, reference_deg: float):
        self.reference = reference_deg

    def point(self, longitude: float, radius: float) -> tuple[float, float]:
        angle = math.radians(180.0 + longitude - self.reference)
        return CENTRE + radius * math.cos(angle), CENTRE - radius * math.sin(angle)

    def line(self, lon_a: float, r_a: float, lon_b: float, r_b: float, colour: str, width: float, extra: str = "") -> str:
        (x1, y1), (x2, y2) = self.point(lon_a, r_a), self.point(lon_b, r_b)
        return (f'<line x1="{_fmt(x1)}" y1="{_fmt(y1)}" x2="{_fmt(x2)}" y2="{_fmt(y2)}" '
                f'stroke="{colour}" stroke-width="{_fmt(width)}"{extra}/>')

    def text(self, longitude: float, radius: float, content: str, size: float, colour: str, extra: str = "",
             tooltip: str = "") -> str:
        x, y = self.point(longitude, radius)
        hint = f"<title>{escape(tooltip)}</title>" if tooltip else ""
        return (f'<text x="{_fmt(x)}" y="{_fmt(y)}" font-size="{_fmt(size)}" fill="{colour}" text-anchor="middle" '
                f'dominant-baseline="central"{extra}>{hint}{escape(content)}</text>')

    def sector(self, start: float, end: float, r_out: float, r_in: float, fill: str) -> str:
        (ax, ay), (bx, by) = self.point(start, r_out), self.point(end, r_out)
        (cx, cy), (dx, dy) = self.point(end, r_in), self.point(start, r_in)
        # Longitudes grow counter-clockwise on screen: sweep-flag 0 along the outer arc, 1 back along the inner.
        return (f'<path d="M{_fmt(ax)} {_fmt(ay)} A{_fmt(r_out)} {_fmt(r_out)} 0 0 0 {_fmt(bx)} {_fmt(by)} '
                f'L{_fmt(cx)} {_fmt(cy)} A{_fmt(r_in)} {_fmt(r_in)} 0 0 1 {_fmt(dx)} {_fmt(dy)} Z" '
                f'fill="{fill}" stroke="{MUTED}" stroke-width="0.6"/>')


def spread_positions(longitudes: list[float], min_gap_deg: float = MIN_GLYPH_GAP_DEG) -> list[float]:
    """Display longitudes, in the input's order, at least min_gap apart (as far as the circle allows):
    crowded bodies form a group laid out evenly around the group's mean; groups that then touch merge."""
    count = len(longitudes)
    if count < 2:
        return list(longitudes)
    gap = min(min_gap_deg, 360.0 / count)
    order = sorted(range(count), key=lambda i: longitudes[i] % 360.0)
    values = [longitudes[i] % 360.0 for i in order]
    # Unroll the circle at its widest empty arc, so that no group straddles the cut.
    widest = max(range(count), key=lambda k: (values[(k + 1) % count] - values[k]) % 360.0)
    cut = (widest + 1) % count
    line = [values[(cut + k) % count] for k in range(count)]
    line = [v if k == 0 or v >= line[0] else v + 360.0 for k, v in enumerate(line)]
    groups = [[v] for v in line]  # each group: the true longitudes of its members, in order

    def placed(group: list[float]) -> tuple[float, float]:
        centre = sum(group) / len(group)
        half = gap * (len(group) - 1) / 2
        return centre - half, centre + half

    merged = True
    while merged and len(groups) > 1:
        merged = False
        for k in range(len(groups) - 1):
            if placed(groups[k + 1])[0] - placed(groups[k])[1] < gap - 1e-9:
                groups[k:k + 2] = [groups[k] + groups[k + 1]]
                merged = True
                break
    shown_line = []
    for group in groups:
        first, _ = placed(group)
        shown_line.extend(first + gap * j for j in range(len(group)))
    result = [0.0] * count
    for k, shown in enumerate(shown_line):
        result[order[(cut + k) % count]] = shown % 360.0
    return result


def _title(chart: dict) -> str:
    bodies = {b["key"]: b for b in chart.get("bodies") or []}
    parts = [f"{BODY_NAMES[k]} en {bodies[k]['sign']}" for k in ("sun", "moon") if k in bodies]
    angles = chart.get("angles")
    if angles:
        parts.append(f"Ascendant {SIGNS[int(angles['ascendant'] % 360 // 30)]}")
    else:
        parts.append("heure de naissance inconnue, sans maisons")
    return "Roue du thème natal : " + ", ".join(parts)


def chart_wheel_svg(chart: dict, *, size_px: int = 480) -> str:
    angles = chart.get("angles")
    wheel = _Wheel(float(angles["ascendant"]) if angles else 0.0)
    out: list[str] = []

    # Zodiac ring: twelve coloured sectors, glyphs, then a tick per degree (longer every 5° and 10°).
    for index in range(12):
        start = index * 30.0
        out.append(wheel.sector(start, start + 30.0, R_OUTER, R_SIGNS, ELEMENT_FILLS[index % 4]))
        out.append(wheel.text(start + 15.0, (R_OUTER + R_SIGNS) / 2, SIGN_GLYPHS[index] + TEXT_STYLE, 20,
                              ELEMENT_COLOURS[index % 4], ' font-family="serif"', tooltip=SIGNS[index]))
    for degree in range(360):
        length = 9.0 if degree % 10 == 0 else 6.0 if degree % 5 == 0 else 3.0
        out.append(wheel.line(degree, R_SIGNS, degree, R_SIGNS + length, MUTED, 0.5))

    # Houses and angles.
    houses = chart.get("houses")
    if houses:
        for number, cusp in enumerate(houses, start=1):
            is_angle = number in (1, 4, 7, 10)
            out.append(wheel.line(cusp, R_ASPECTS, cusp, R_SIGNS, INK if is_angle else MUTED, 1.6 if is_angle else 0.7))
            following = houses[number % 12]
            middle = cusp + ((following - cusp) % 360.0) / 2
            out.append(wheel.text(middle, R_HOUSE_NUMBERS, str(number), 10, MUTED))
    if angles:
        for key, label in (("ascendant", "AS"), ("midheaven", "MC")):
            lon = float(angles[key])
            out.append(wheel.line(lon, R_SIGNS, lon, R_OUTER + 2, INK, 2.2))
            out.append(wheel.text(lon + 4.0, R_SIGNS - 12, label, 10, INK, ' font-weight="bold"'))
            out.append(wheel.line(lon + 180.0, R_SIGNS, lon + 180.0, R_OUTER + 2, INK, 1.2))

    # Aspects across the centre (conjunctions are shown by the glyphs being together).
    out.append(f'<circle cx="{_fmt(CENTRE)}" cy="{_fmt(CENTRE)}" r="{_fmt(R_ASPECTS)}" fill="#ffffff" '
               f'stroke="{MUTED}" stroke-width="0.8"/>')
    bodies = chart.get("bodies") or []
    longitude_of = {b["key"]: float(b["longitude"]) for b in bodies}
    for aspect in chart.get("aspects") or []:
        colour = ASPECT_COLOURS.get(aspect["type"])
        if colour is None or aspect["a"] not in longitude_of or aspect["b"] not in longitude_of:
            continue
        dash = ' stroke-dasharray="4 3"' if aspect["type"] == "sextile" else ""
        out.append(wheel.line(longitude_of[aspect["a"]], R_ASPECTS, longitude_of[aspect["b"]], R_ASPECTS, colour,
                              1.8 if aspect["orb"] < 2 else 1.1, dash + ' stroke-linecap="round"'))

    # Planets: a tick at the true longitude, the glyph at its spread position, "R" when retrograde.
    shown = spread_positions([float(b["longitude"]) for b in bodies])
    for body, display in zip(bodies, shown, strict=True):
        lon = float(body["longitude"])
        out.append(wheel.line(lon, R_SIGNS, lon, R_SIGNS - 7, INK, 1.2))
        out.append(wheel.line(lon, R_SIGNS - 7, display, R_PLANETS + 11, MUTED, 0.5))
        glyph = BODY_GLYPHS.get(body["key"], "•") + TEXT_STYLE
        where = f"{BODY_NAMES.get(body['key'], body['key'])} {int(body['degree'])}° {body['sign']}"
        out.append(wheel.text(display, R_PLANETS, glyph, 19, INK, ' font-family="serif"', tooltip=where))
        out.append(wheel.line(lon, R_ASPECTS, lon, R_ASPECTS + 4, INK, 1.2))
        if body.get("retrograde"):
            out.append(wheel.text(display, R_PLANETS - 15, "R", 8, "#d1495b"))

    title = escape(_title(chart))
    # Unique per chart, so that two wheels on one page keep their own accessible names.
    title_id = "wheel-title-" + "".join(ch for ch in str(chart.get("moment", "")) if ch.isdigit())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{title_id}" '
        f'width="{int(size_px)}" height="{int(size_px)}" viewBox="0 0 {_fmt(VIEW)} {_fmt(VIEW)}" '
        f'font-family="sans-serif">'
        f'<title id="{title_id}">{title}</title>'
        f'<desc>{escape(_legend())}</desc>'
        f'<circle cx="{_fmt(CENTRE)}" cy="{_fmt(CENTRE)}" r="{_fmt(R_OUTER + 4)}" fill="#fdfcff"/>'
        + "".join(out) + "</svg>"
    )


def _legend() -> str:
    lines = ", ".join(f"{ASPECT_NAMES[k]} en {name}" for k, name in
                      (("trine", "bleu"), ("sextile", "vert pointillé"), ("square", "rouge"), ("opposition", "bordeaux")))
    return f"Aspects : {lines}. R : planète rétrograde. AS : Ascendant, MC : Milieu du Ciel."

