"""A delivered reading as the Sanctuaire page and the PDF show it: the content (engine/schema.py shape), the
parts the client's level unlocks, and what Lumira draws itself (chart wheel, chart table, mandala).

Content delivered before the schema (flat strings: "reading", "ritual", "synthesis", "guidance", and an
AI-written "mandalaSvg") is read into the same shape, so older readings still display; an AI-written SVG is
never used: the mandala is always drawn by `engine.mandala`.
"""

import base64
import re
from dataclasses import dataclass, field

from engine.chart import BODY_NAMES
from engine.mandala import mandala_svg
from engine.wheel import chart_wheel_svg

from .access import Entitlements

# French typography: no line break inside « … » or before : ; ! ? (a no-break space there).
_FRENCH_SPACES = ((re.compile(r"« "), "«\u00a0"), (re.compile(r" ([»:;!?])"), "\u00a0\\1"))


def french_spacing(text: str) -> str:
    for pattern, replacement in _FRENCH_SPACES:
        text = pattern.sub(replacement, text)
    return text


def _paragraphs(text: str) -> list[str]:
    return [french_spacing(part.strip()) for part in re.split(r"\n\s*\n", str(text or "")) if part.strip()]


@dataclass
class ReadingParts:
    """Everything a reading shows, already limited to the client's level (empty/None when locked or absent)."""

    title: str = ""
    archetype: str = ""
    archetype_source: str = ""
    intro: list[str] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)  # [{"title", "paragraphs"}]
    closing: list[str] = field(default_factory=list)
    ritual: dict | None = None  # {"title", "moment", "steps", "intention"}
    synthesis: list[str] = field(default_factory=list)
    mandala_svg: str = ""
    mandala_intention: str = ""
    wheel_svg: str = ""
    chart_rows: list[dict] = field(default_factory=list)  # [{"name", "sign", "degree", "retrograde", "house"}]
    guidance: list[dict] = field(default_factory=list)  # [{"day", "focus", "practice"}]

    @property
    def has_chart(self) -> bool:
        return bool(self.wheel_svg or self.chart_rows)


def _legacy_ritual(text: str) -> dict:
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]
    return {"title": "", "moment": "", "steps": sentences, "intention": ""}


def _legacy_guidance(text: str) -> list[dict]:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return [{"day": index, "focus": "", "practice": line} for index, line in enumerate(lines, start=1)]


def chart_rows(chart: dict | None) -> list[dict]:
    rows = []
    for body in (chart or {}).get("bodies") or []:
        degrees, minutes = divmod(round(float(body.get("degree", 0)) * 60), 60)
        rows.append({
            "name": BODY_NAMES.get(body.get("key"), body.get("key", "")),
            "sign": body.get("sign", ""),
            "degree": f"{degrees}°{minutes:02d}′",
            "retrograde": bool(body.get("retrograde")),
            "house": body.get("house") or "",
        })
    return rows


def reading_parts(content: dict | None, *, entitlements: Entitlements, chart: dict | None = None) -> ReadingParts:
    content = content if isinstance(content, dict) else {}
    parts = ReadingParts()
    if not entitlements.unlocks("reading"):
        return parts
    parts.title = str(content.get("title") or "")
    archetype = content.get("archetype")
    if isinstance(archetype, dict):
        parts.archetype, parts.archetype_source = str(archetype.get("name", "")), str(archetype.get("source", ""))
    elif archetype:
        parts.archetype = str(archetype)
    reading = content.get("reading")
    if isinstance(reading, dict):
        parts.intro = _paragraphs(reading.get("intro", ""))
        parts.sections = [
            {"title": str(section.get("title", "")), "paragraphs": _paragraphs(section.get("body", ""))}
            for section in reading.get("sections") or [] if isinstance(section, dict)
        ]
        parts.closing = _paragraphs(reading.get("closing", ""))
    elif reading:
        parts.intro = _paragraphs(reading)

    if entitlements.unlocks("ritual") and content.get("ritual"):
        ritual = content["ritual"]
        ritual = ritual if isinstance(ritual, dict) else _legacy_ritual(str(ritual))
        parts.ritual = {
            "title": french_spacing(str(ritual.get("title", ""))), "moment": french_spacing(str(ritual.get("moment", ""))),
            "steps": [french_spacing(str(step)) for step in ritual.get("steps") or []],
            "intention": french_spacing(str(ritual.get("intention", ""))),
        }
    if entitlements.unlocks("synthesis"):
        parts.synthesis = _paragraphs(content.get("synthesis", ""))
    if entitlements.unlocks("mandala"):
        if chart:
            parts.wheel_svg = chart_wheel_svg(chart)
            parts.chart_rows = chart_rows(chart)
        mandala = content.get("mandala")
        if isinstance(mandala, dict) or content.get("mandalaSvg"):
            # Only the writer's choices (or, for older content, none: Lumira's palette) reach the drawing.
            parts.mandala_svg = mandala_svg(chart, mandala if isinstance(mandala, dict) else None)
            parts.mandala_intention = str(mandala.get("intention", "")) if isinstance(mandala, dict) else ""
    if entitlements.unlocks("guidance") and content.get("guidance"):
        guidance = content["guidance"]
        guidance = guidance if isinstance(guidance, list) else _legacy_guidance(guidance)
        parts.guidance = [
            {"day": entry.get("day", ""), "focus": french_spacing(str(entry.get("focus", ""))),
             "practice": french_spacing(str(entry.get("practice", "")))}
            for entry in guidance if isinstance(entry, dict)
        ]
    return parts


def audio_script(content: dict | None) -> str:
    """What is read aloud: the writer's `audioScript`; for older content, the reading's own text."""
    content = content if isinstance(content, dict) else {}
    if isinstance(content.get("audioScript"), str) and content["audioScript"].strip():
        return content["audioScript"].strip()
    reading = content.get("reading")
    if isinstance(reading, dict):
        texts = [reading.get("intro", "")]
        texts += [f"{s.get('title', '')}. {s.get('body', '')}" for s in reading.get("sections") or [] if isinstance(s, dict)]
        texts.append(reading.get("closing", ""))
        return "\n\n".join(text for text in texts if text).strip()
    return str(reading or "").strip()


def svg_data_uri(svg: str) -> str:
    """An SVG drawn by Lumira as an <img> data URI: an image context runs no script and loads nothing."""
    if not svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
