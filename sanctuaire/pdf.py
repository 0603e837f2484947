"""A delivered reading as a PDF (fpdf2), with only the sections the client's level unlocks."""

import io
import logging
from pathlib import Path

from django.conf import settings
from django.utils import formats, timezone
from fpdf import FPDF
from fpdf.svg import SVGObject

from orders.chart_display import chart_table
from orders.models import Order

from .access import Entitlements

logger = logging.getLogger(__name__)

# Order of the sections in the PDF: (content key, title).
PDF_SECTIONS = (
    ("reading", "Votre lecture"),
    ("ritual", "Votre rituel"),
    ("synthesis", "Synthèse"),
    ("guidance", "Votre guidance sur 30 jours"),
)
# The built-in PDF fonts only know Latin-1: typographic signs get their closest Latin-1 form.
_LATIN1 = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "…": "...", "œ": "oe",
                         "Œ": "OE", "\u202f": " ", "€": "EUR", "′": "'"})
INK = (35, 25, 66)
ACCENT = (123, 44, 191)


class _ReadingPDF(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=20)
        font_dir = Path(settings.SANCTUAIRE_PDF_FONT_DIR)
        regular, bold = font_dir / "DejaVuSans.ttf", font_dir / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            self.add_font("Lumira", "", str(regular))
            self.add_font("Lumira", "B", str(bold))
            self.family, self.unicode = "Lumira", True
        else:
            self.family, self.unicode = "Helvetica", False

    def text_safe(self, text: str) -> str:
        text = str(text or "").replace("\r\n", "\n")
        if self.unicode:
            return text
        return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.family, "", 8)
        self.set_text_color(94, 84, 142)
        self.cell(0, 6, self.text_safe(f"Lumira · page {self.page_no()}/{{nb}}"), align="C")


def reading_pdf(*, order: Order, entitlements: Entitlements, client_name: str) -> bytes:
    content = entitlements.visible_content(order.generated_content)
    pdf = _ReadingPDF()
    pdf.set_title(f"Lecture Lumira {order.number}")
    pdf.set_author("Lumira")
    pdf.set_creation_date(timezone.now())
    pdf.add_page()

    pdf.set_text_color(*ACCENT)
    pdf.set_font(pdf.family, "B", 22)
    pdf.cell(0, 12, "Lumira", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font(pdf.family, "B", 16)
    _paragraph(pdf, 8, f"Lecture préparée pour {client_name}")
    pdf.set_font(pdf.family, "", 10)
    delivered = formats.date_format(timezone.localtime(order.delivered_at), "j F Y") if order.delivered_at else ""
    _paragraph(pdf, 6, f"Commande {order.number} · niveau {order.level_name} · livrée le {delivered}")
    pdf.ln(4)

    if entitlements.shows_chart and order.chart:
        _chart(pdf, order.chart)
    if content.get("archetype"):
        _heading(pdf, "Votre archétype")
        pdf.set_font(pdf.family, "B", 13)
        _paragraph(pdf, 7, content["archetype"])
        pdf.ln(2)
    for key, title in PDF_SECTIONS:
        if key == "synthesis" and content.get("mandalaSvg"):
            _mandala(pdf, content["mandalaSvg"])
        if content.get(key):
            _heading(pdf, title)
            pdf.set_font(pdf.family, "", 11)
            _paragraph(pdf, 6, content[key])
            pdf.ln(3)
    return bytes(pdf.output())


def _paragraph(pdf: _ReadingPDF, line_height: int, text: str) -> None:
    pdf.multi_cell(0, line_height, pdf.text_safe(text), new_x="LMARGIN", new_y="NEXT", align="L")


def _heading(pdf: _ReadingPDF, title: str) -> None:
    pdf.set_text_color(*ACCENT)
    pdf.set_font(pdf.family, "B", 14)
    _paragraph(pdf, 8, title)
    pdf.set_text_color(*INK)


def _mandala(pdf: _ReadingPDF, svg: str) -> None:
    """The AI's SVG drawn as vector graphics (fpdf2 parses it with defusedxml and size limits)."""
    data = svg.strip().encode("utf-8")
    try:
        SVGObject(data)
    except Exception:  # a drawing fpdf2 cannot read must not cost the client their PDF
        logger.warning("mandala left out of the PDF", exc_info=True)
        return
    _heading(pdf, "Votre mandala")
    pdf.image(io.BytesIO(data), w=90, x=(pdf.w - 90) / 2)
    pdf.ln(4)


def _chart(pdf: _ReadingPDF, chart: dict) -> None:
    """From level 3: the chart wheel (Lumira's SVG, drawn as vector graphics) and its table as text."""
    from engine.wheel import chart_wheel_svg

    rows = chart_table(chart)
    _heading(pdf, "Votre thème natal")
    data = chart_wheel_svg(chart, size_px=480).encode("utf-8")
    try:
        SVGObject(data)
    except Exception:  # the table below says it all; a drawing fpdf2 cannot read must not cost the PDF
        logger.warning("chart wheel left out of the PDF", exc_info=True)
    else:
        pdf.image(io.BytesIO(data), w=110, x=(pdf.w - 110) / 2)
        pdf.ln(2)
    pdf.set_font(pdf.family, "", 10)
    for body in rows["bodies"]:
        house = f", maison {body['house']}" if body["house"] else ""
        retrograde = " (rétrograde)" if body["retrograde"] else ""
        _paragraph(pdf, 5, f"{body['name']} : {body['sign']} {body['degree']}{house}{retrograde}")
    for angle in rows["angles"]:
        _paragraph(pdf, 5, f"{angle['name']} : {angle['sign']} {angle['degree']}")
    if rows["no_houses_note"]:
        _paragraph(pdf, 5, f"{rows['no_houses_note']} {rows['note']}".strip())
    elif rows["house_system"]:
        _paragraph(pdf, 5, f"Système de maisons : {rows['house_system']}")
    if rows["aspects"]:
        aspects = "; ".join(f"{a['a']}-{a['b']} {a['type']} ({a['orb']})" for a in rows["aspects"])
        _paragraph(pdf, 5, f"Aspects : {aspects}")
    facts = [
        ("Phase de la Lune", rows["moon_phase"].get("name")), ("Chemin de vie", rows["life_path"]),
        ("Nombre d'expression", rows["expression"]), ("Arcanes de naissance", rows["tarot"]),
        ("Signe chinois", rows["chinese_sign"]),
    ]
    for label, value in facts:
        if value:
            _paragraph(pdf, 5, f"{label} : {value}")
    pdf.ln(3)
