"""The client's mandala, drawn by Lumira as SVG from the chart and the content's `mandala` choices.

A writer (AI or composer) only chooses colours and symbols; nothing it writes is ever rendered as markup.
Colours that are not `#rrggbb` and symbols outside `MANDALA_SYMBOLS` are dropped, so the SVG can only hold
shapes drawn here.
"""

import math
import re
from xml.sax.saxutils import escape

from engine.schema import HEX_COLOR_PATTERN, MANDALA_SYMBOLS

_HEX = re.compile(HEX_COLOR_PATTERN)
_FALLBACK_COLORS = ("#2e1a47", "#c9a227", "#7b5ea7", "#f3e9d2")


def _point(cx: float, cy: float, radius: float, angle_deg: float) -> tuple[float, float]:
    angle = math.radians(angle_deg - 90)
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def _fmt(*values: float) -> str:
    return " ".join(f"{value:.1f}" for value in values)


def _circle(x: float, y: float, r: float) -> str:
    """A circle as path data (two arcs), so that every symbol is one path."""
    return f"M{_fmt(x - r, y)}a{_fmt(r, r)} 0 1 0 {_fmt(2 * r, 0)}a{_fmt(r, r)} 0 1 0 {_fmt(-2 * r, 0)}"


def _symbol_path(symbol: str, x: float, y: float, r: float) -> str:
    """One symbol as SVG path data, centred on (x, y), about 2r wide."""
    if symbol == "soleil":
        rays = "".join(f"M{_fmt(*_point(x, y, r * 0.55, a))}L{_fmt(*_point(x, y, r, a))}" for a in range(0, 360, 45))
        return _circle(x, y, r * 0.4) + rays
    if symbol == "lune":
        return f"M{_fmt(x, y - r)}a{_fmt(r, r)} 0 1 0 0.1 {_fmt(2 * r)}a{_fmt(r * 0.75, r)} 0 1 1 -0.1 {_fmt(-2 * r)}Z"
    if symbol in ("etoile", "cristal", "triangle"):
        points = {"etoile": 5, "cristal": 6, "triangle": 3}[symbol]
        step = 360 / points / (2 if symbol == "etoile" else 1)
        vertices = []
        for index in range(points * (2 if symbol == "etoile" else 1)):
            radius = r if symbol != "etoile" or index % 2 == 0 else r * 0.45
            vertices.append(_point(x, y, radius, index * step))
        return "M" + "L".join(_fmt(*vertex) for vertex in vertices) + "Z"
    if symbol == "lotus":
        petals = "".join(
            f"M{_fmt(x, y + r * 0.6)}Q{_fmt(*_point(x, y, r * 1.1, a - 25))} {_fmt(*_point(x, y, r, a))}"
            f"Q{_fmt(*_point(x, y, r * 1.1, a + 25))} {_fmt(x, y + r * 0.6)}"
            for a in (-60, -30, 0, 30, 60)
        )
        return petals
    if symbol == "spirale":
        steps = [_point(x, y, r * t / 24, t * 30) for t in range(1, 25)]
        return "M" + "L".join(_fmt(*step) for step in steps)
    if symbol == "oeil":
        return (f"M{_fmt(x - r, y)}Q{_fmt(x, y - r)} {_fmt(x + r, y)}Q{_fmt(x, y + r)} {_fmt(x - r, y)}Z"
                + _circle(x, y, r * 0.3))
    if symbol == "coeur":
        return (f"M{_fmt(x, y + r)}C{_fmt(x - r * 1.4, y - r * 0.2, x - r * 0.6, y - r * 1.2, x, y - r * 0.4)}"
                f"C{_fmt(x + r * 0.6, y - r * 1.2, x + r * 1.4, y - r * 0.2, x, y + r)}Z")
    if symbol == "arbre":
        trunk = f"M{_fmt(x, y + r)}L{_fmt(x, y - r * 0.2)}"
        crown = f"M{_fmt(x, y - r)}L{_fmt(x - r * 0.8, y)}L{_fmt(x + r * 0.8, y)}Z"
        branches = "".join(f"M{_fmt(x, y - r * 0.2)}L{_fmt(x + side * r * 0.5, y - r * 0.6)}" for side in (-1, 1))
        return trunk + crown + branches
    if symbol == "vague":
        return (f"M{_fmt(x - r, y)}q{_fmt(r * 0.5, -r * 0.8, r, 0)}t{_fmt(r, 0)}"
                f"M{_fmt(x - r, y + r * 0.5)}q{_fmt(r * 0.5, -r * 0.8, r, 0)}t{_fmt(r, 0)}")
    if symbol == "flamme":
        return (f"M{_fmt(x, y + r)}C{_fmt(x - r, y + r * 0.6, x - r * 0.4, y - r * 0.3, x, y - r)}"
                f"C{_fmt(x + r * 0.1, y - r * 0.2, x + r, y + r * 0.2, x, y + r)}Z")
    if symbol == "montagne":
        peaks = [(x - r, y + r * 0.7), (x - r * 0.3, y - r * 0.7), (x, y), (x + r * 0.4, y - r), (x + r, y + r * 0.7)]
        return "M" + "L".join(_fmt(*peak) for peak in peaks) + "Z"
    if symbol == "cle":
        teeth = "".join(f"M{_fmt(x + r * dx, y)}L{_fmt(x + r * dx, y + r * 0.4)}" for dx in (0.6, 0.9))
        return _circle(x - r * 0.55, y, r * 0.35) + f"M{_fmt(x - r * 0.2, y)}L{_fmt(x + r, y)}" + teeth
    if symbol == "plume":
        return (f"M{_fmt(x - r * 0.7, y + r)}Q{_fmt(x - r * 0.6, y - r * 0.6, x + r * 0.7, y - r)}"
                f"Q{_fmt(x + r * 0.4, y + r * 0.3, x - r * 0.7, y + r)}Z"
                f"M{_fmt(x - r * 0.7, y + r)}L{_fmt(x + r * 0.3, y - r * 0.4)}")
    if symbol == "serpent":
        return (f"M{_fmt(x - r, y + r * 0.6)}C{_fmt(x - r * 0.2, y + r * 1.2, x - r * 0.2, y - r * 0.2, x + r * 0.2, y)}"
                f"S{_fmt(x + r * 0.8, y - r * 1.2, x + r, y - r * 0.4)}")
    raise ValueError(f"unknown symbol {symbol!r}")


def safe_choices(mandala: dict | None) -> tuple[list[str], list[str]]:
    """The colours and symbols that may be drawn: valid hex colours and known symbols only."""
    mandala = mandala if isinstance(mandala, dict) else {}
    colors = [c for c in mandala.get("colors") or [] if isinstance(c, str) and _HEX.match(c)][:8]
    symbols = [s for s in mandala.get("symbols") or [] if s in MANDALA_SYMBOLS][:8]
    return (colors or list(_FALLBACK_COLORS)), (symbols or ["etoile"])


def mandala_svg(chart: dict | None, mandala: dict | None, *, size_px: int = 480) -> str:
    colors, symbols = safe_choices(mandala)
    c = size_px / 2
    sun = next((body for body in (chart or {}).get("bodies", []) if body.get("key") == "sun"), None)
    rotation = float(sun["longitude"]) % 30 if sun else 0.0
    petals = 12 if len(symbols) % 2 == 0 else 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size_px} {size_px}" width="{size_px}" height="{size_px}" '
        f'role="img" aria-labelledby="mandala-title"><title id="mandala-title">Votre mandala</title>',
        f'<circle cx="{c}" cy="{c}" r="{c - 2}" fill="{colors[0]}"/>',
    ]
    # Outer petals, turned by the Sun's degree in its sign so that each chart has its own figure.
    for index in range(petals):
        angle = rotation + index * 360 / petals
        tip = _point(c, c, c * 0.95, angle)
        left, right = _point(c, c, c * 0.55, angle - 180 / petals), _point(c, c, c * 0.55, angle + 180 / petals)
        fill = colors[1 + index % max(1, len(colors) - 1)] if len(colors) > 1 else colors[0]
        parts.append(f'<path d="M{_fmt(c, c)}L{_fmt(*left)}Q{_fmt(*tip)} {_fmt(*right)}Z" fill="{fill}" fill-opacity="0.55" '
                     f'stroke="{colors[-1]}" stroke-width="1"/>')
    # The planets of the chart as small beads on a ring, at their real longitudes.
    parts.append(f'<circle cx="{c}" cy="{c}" r="{c * 0.62:.1f}" fill="none" stroke="{colors[-1]}" stroke-width="1.5"/>')
    for body in (chart or {}).get("bodies", []):
        x, y = _point(c, c, c * 0.62, float(body.get("longitude", 0)))
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size_px / 96:.1f}" fill="{colors[-1]}"/>')
    # The chosen symbols around an inner ring, then the first one at the centre.
    ring = [symbols[index % len(symbols)] for index in range(max(6, len(symbols)))]
    for index, symbol in enumerate(ring):
        x, y = _point(c, c, c * 0.4, rotation + index * 360 / len(ring))
        parts.append(f'<path d="{_symbol_path(symbol, x, y, c * 0.08)}" fill="none" stroke="{colors[-1]}" stroke-width="2" '
                     'stroke-linecap="round" stroke-linejoin="round"/>')
    parts.append(f'<circle cx="{c}" cy="{c}" r="{c * 0.2:.1f}" fill="{colors[0]}" stroke="{colors[-1]}" stroke-width="2"/>')
    parts.append(f'<path d="{_symbol_path(symbols[0], c, c, c * 0.13)}" fill="none" stroke="{colors[-1]}" stroke-width="2.5"/>')
    intention = (mandala or {}).get("intention") if isinstance(mandala, dict) else None
    if isinstance(intention, str) and intention:
        parts.insert(1, f"<desc>{escape(intention[:200])}</desc>")
    parts.append("</svg>")
    return "".join(parts)
