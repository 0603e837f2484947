"""A delivered reading as a PDF (fpdf2), with every section the client's level unlocks (SPEC §11 "PDF"):
the reading's sections, the ritual's steps, the synthesis, the chart wheel with its table and the mandala
from level 3, the 30 days at level 4. Every page names the client (first name) and says "Page n/N".
DejaVu fonts are embedded (subset) so that French typography (’ œ « » …) prints as written.
"""

import io
import logging
import re
from pathlib import Path

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from orders.catalogue import READING_LANGUAGE
from orders.models import Order

from .access import Entitlements
from .deliverables import ReadingParts, reading_parts

logger = logging.getLogger(__name__)

# The built-in PDF fonts only know Latin-1: typographic signs get their closest Latin-1 form.
_LATIN1 = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "…": "...", "œ": "oe",
                         "Œ": "OE", "\u202f": " ", "€": "EUR", "′": "'"})
_TOOLTIP = re.compile(r"<title\b[^>]*>[^<]*</title>")
INK = (35, 25, 66)
ACCENT = (123, 44, 191)
MUTED = (94, 84, 142)


class _ReadingPDF(FPDF):
    def __init__(self, first_name: str) -> None:
        super().__init__(format="A4")
        self.first_name = first_name
        self._word_widths: dict[tuple, float] = {}  # (font, size, word) → width: a reading reuses its words
        self.set_margins(20, 22, 20)
        self.set_auto_page_break(auto=True, margin=20)
        font_dir = Path(settings.SANCTUAIRE_PDF_FONT_DIR)
        regular, bold = font_dir / "DejaVuSans.ttf", font_dir / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            self.add_font("Lumira", "", str(regular))
            self.add_font("Lumira", "B", str(bold))
            self.family, self.unicode = "Lumira", True
        else:
            self.family, self.unicode = "Helvetica", False

    def word_width(self, word: str) -> float:
        key = (self.font_family, self.font_style, self.font_size_pt, word)
        if key not in self._word_widths:
            self._word_widths[key] = self.get_string_width(word)
        return self._word_widths[key]

    def text_safe(self, text: str) -> str:
        text = str(text or "").replace("\r\n", "\n")
        if self.unicode:
            return text
        return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(9)
        self.set_font(self.family, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.text_safe(_("Lumira · the reading of %(name)s") % {"name": self.first_name}), align="R")
        self.set_y(self.t_margin)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.family, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, self.text_safe(f"{self.first_name} · Page {self.page_no()}/{{nb}}"), align="C")


def reading_pdf(*, order: Order, entitlements: Entitlements, client_name: str, first_name: str = "") -> bytes:
    # The PDF is the reading itself: its labels are in the reading's language, whatever the visitor's interface.
    with translation.override(READING_LANGUAGE):
        return _reading_pdf(order=order, entitlements=entitlements, client_name=client_name, first_name=first_name)


def _reading_pdf(*, order: Order, entitlements: Entitlements, client_name: str, first_name: str) -> bytes:
    parts = reading_parts(order.generated_content, entitlements=entitlements, chart=getattr(order, "chart", None))
    pdf = _ReadingPDF(first_name or client_name.partition(" ")[0] or "vous")
    pdf.set_title(_("Lumira reading %(number)s") % {"number": order.number})
    pdf.set_author("Lumira")
    pdf.set_creation_date(timezone.now())
    pdf.add_page()
    _cover(pdf, order, parts, client_name)
    _reading(pdf, parts)
    if parts.ritual:
        _ritual(pdf, parts.ritual)
    if parts.synthesis:
        _heading(pdf, _("Synthesis"))
        _paragraphs(pdf, parts.synthesis)
    if parts.has_chart:
        _chart(pdf, parts)
    if parts.mandala_svg:
        _mandala(pdf, parts)
    if parts.guidance:
        _guidance(pdf, parts.guidance)
    return bytes(pdf.output())


def _write(pdf: _ReadingPDF, line_height: float, text: str) -> None:
    """multi_cell's left-aligned layout, one `cell` per line, each word measured once per font: fpdf2's own line
    breaking re-measures the line at every character, which made a VIP reading's PDF cost over a second."""
    text, width = pdf.text_safe(text), pdf.epw
    lines = _wrapped(pdf, text, width)
    if lines is None:  # a word wider than the page: fpdf2 breaks it
        pdf.multi_cell(0, line_height, text, new_x="LMARGIN", new_y="NEXT", align="L")
        return
    for line in lines:
        pdf.cell(width, line_height, line, new_x="LMARGIN", new_y="NEXT", align="L")


def _wrapped(pdf: _ReadingPDF, text: str, width: float) -> list[str] | None:
    space, lines = pdf.word_width(" "), []
    for paragraph in text.split("\n"):
        line, line_width = [], 0.0
        for word in paragraph.split(" "):
            word_width = pdf.word_width(word)
            if word_width > width:
                return None
            if line and line_width + space + word_width > width:
                lines.append(" ".join(line))
                line, line_width = [], 0.0
            line_width += (space if line else 0.0) + word_width
            line.append(word)
        lines.append(" ".join(line))
    return lines


def _paragraphs(pdf: _ReadingPDF, paragraphs: list[str]) -> None:
    pdf.set_font(pdf.family, "", 11)
    pdf.set_text_color(*INK)
    for paragraph in paragraphs:
        _write(pdf, 6, paragraph)
        pdf.ln(2.5)


def _heading(pdf: _ReadingPDF, title: str, *, size: int = 15, new_page_room: float = 40) -> None:
    if pdf.get_y() > pdf.h - pdf.b_margin - new_page_room:  # a heading never ends a page alone
        pdf.add_page()
    pdf.ln(3)
    pdf.set_text_color(*ACCENT)
    pdf.set_font(pdf.family, "B", size)
    _write(pdf, size * 0.55, title)
    pdf.ln(1.5)
    pdf.set_text_color(*INK)


def _cover(pdf: _ReadingPDF, order: Order, parts: ReadingParts, client_name: str) -> None:
    pdf.set_text_color(*ACCENT)
    pdf.set_font(pdf.family, "B", 24)
    pdf.cell(0, 12, "Lumira", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font(pdf.family, "B", 16)
    _write(pdf, 8, _("Reading prepared for %(name)s") % {"name": client_name})
    pdf.set_font(pdf.family, "", 10)
    pdf.set_text_color(*MUTED)
    delivered = formats.date_format(timezone.localtime(order.delivered_at), "j F Y") if order.delivered_at else ""
    _write(pdf, 6, _("Order %(number)s · level %(level)s · delivered on %(date)s") % {
        "number": order.number, "level": order.level_name, "date": delivered})
    pdf.ln(4)
    if parts.title:
        pdf.set_text_color(*INK)
        pdf.set_font(pdf.family, "B", 18)
        _write(pdf, 9, parts.title)
        pdf.ln(2)
    if parts.archetype:
        pdf.set_text_color(*ACCENT)
        pdf.set_font(pdf.family, "B", 12)
        source = f" ({parts.archetype_source})" if parts.archetype_source else ""
        _write(pdf, 7, _("Your archetype:") + f" {parts.archetype}{source}")
        pdf.ln(2)


def _reading(pdf: _ReadingPDF, parts: ReadingParts) -> None:
    _heading(pdf, _("Your reading"))
    _paragraphs(pdf, parts.intro)
    for section in parts.sections:
        _heading(pdf, section["title"], size=13, new_page_room=30)
        _paragraphs(pdf, section["paragraphs"])
    _paragraphs(pdf, parts.closing)


def _ritual(pdf: _ReadingPDF, ritual: dict) -> None:
    title = ritual.get("title") or ""
    _heading(pdf, _("Your ritual: %(title)s") % {"title": title} if title and title != _("Your ritual") else _("Your ritual"))
    if ritual.get("moment"):
        pdf.set_font(pdf.family, "B", 11)
        _write(pdf, 6, _("When:") + f" {ritual['moment']}")
        pdf.ln(2)
    pdf.set_font(pdf.family, "", 11)
    for number, step in enumerate(ritual.get("steps") or [], start=1):
        pdf.set_x(pdf.l_margin)
        pdf.set_font(pdf.family, "B", 11)
        pdf.cell(8, 6, f"{number}.")
        pdf.set_font(pdf.family, "", 11)
        pdf.multi_cell(0, 6, pdf.text_safe(step), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    if ritual.get("intention"):
        pdf.ln(1)
        pdf.set_font(pdf.family, "B", 11)
        _write(pdf, 6, _("Your intention:") + f" {ritual['intention']}")
        pdf.ln(2)


def _svg(pdf: _ReadingPDF, svg: str, width_mm: float) -> bool:
    """Lumira's own SVG drawn as vector graphics; False if fpdf2 cannot draw it (the text still prints)."""
    if pdf.get_y() + width_mm > pdf.h - pdf.b_margin:
        pdf.add_page()
    # fpdf2 draws a <text>'s own text and its <tspan>s only: a glyph written after a <title> tooltip (the wheel's
    # signs and planets) is that title's tail and would be dropped. Tooltips mean nothing on paper.
    svg = _TOOLTIP.sub("", svg)
    if pdf.unicode:  # the drawing's text in the embedded DejaVu (its zodiac and planet glyphs too), not Helvetica
        svg = re.sub(r'font-family="[^"]*"', f'font-family="{pdf.family}"', svg)
        if not re.match(r'<svg [^>]*font-family=', svg):
            svg = svg.replace("<svg ", f'<svg font-family="{pdf.family}" ', 1)
    try:
        pdf.image(io.BytesIO(svg.encode("utf-8")), w=width_mm, x=(pdf.w - width_mm) / 2)
    except Exception:  # a drawing fpdf2 cannot read must not cost the client their PDF
        logger.warning("drawing left out of the PDF", exc_info=True)
        return False
    pdf.ln(3)
    return True


def _chart(pdf: _ReadingPDF, parts: ReadingParts) -> None:
    pdf.add_page()
    _heading(pdf, _("Your birth chart"))
    if parts.wheel_svg:
        _svg(pdf, parts.wheel_svg, 120)
    if not parts.chart_rows:
        return
    with_house = any(row["house"] for row in parts.chart_rows)
    headings = [_("Body"), _("Sign"), _("Degree"), *([_("House")] if with_house else [])]
    pdf.set_font(pdf.family, "", 10)
    with pdf.table(
        col_widths=(30, 30, 25, 20)[: len(headings)], width=120 if with_house else 100, align="CENTER",
        headings_style=FontFace(emphasis="BOLD", color=ACCENT), line_height=6,
    ) as table:
        table.row([pdf.text_safe(cell) for cell in headings])
        for row in parts.chart_rows:
            degree = row["degree"] + (" R" if row["retrograde"] else "")
            cells = [row["name"], row["sign"], degree, *([str(row["house"])] if with_house else [])]
            table.row([pdf.text_safe(cell) for cell in cells])


def _mandala(pdf: _ReadingPDF, parts: ReadingParts) -> None:
    _heading(pdf, _("Your mandala"), new_page_room=120)
    _svg(pdf, parts.mandala_svg, 95)
    if parts.mandala_intention:
        pdf.set_font(pdf.family, "", 11)
        _write(pdf, 6, parts.mandala_intention)


def _guidance(pdf: _ReadingPDF, guidance: list[dict]) -> None:
    # One short block per day rather than a table: as readable, and fpdf2 lays a table out twice (4× slower).
    pdf.add_page()
    _heading(pdf, _("Your 30-day guidance"))
    for entry in guidance:
        if pdf.get_y() > pdf.h - pdf.b_margin - 18:
            pdf.add_page()
        pdf.set_text_color(*ACCENT)
        pdf.set_font(pdf.family, "B", 10.5)
        focus = f" — {entry['focus']}" if entry.get("focus") else ""
        _write(pdf, 5.5, _("Day %(day)s") % {"day": entry.get("day", "")} + focus)
        pdf.set_text_color(*INK)
        pdf.set_font(pdf.family, "", 10.5)
        _write(pdf, 5.5, entry.get("practice", ""))
        pdf.ln(2)
