"""The mandala is drawn by Lumira: only valid colours and known symbols reach the SVG, never markup."""

import re
import xml.etree.ElementTree as ET

import pytest

from engine.mandala import mandala_svg
from engine.schema import MANDALA_SYMBOLS

CHART = {"bodies": [{"key": "sun", "longitude": 123.4}, {"key": "moon", "longitude": 310.0}]}


@pytest.mark.parametrize("symbol", MANDALA_SYMBOLS)
def test_every_symbol_draws_valid_svg(symbol):
    svg = mandala_svg(CHART, {"colors": ["#112233", "#ffcc00"], "symbols": [symbol], "intention": "Paix"})
    ET.fromstring(svg)


def test_the_svg_holds_only_the_allowed_colours_and_no_script():
    hostile = {
        "colors": ["#112233", "red;}</style><script>alert(1)</script>", "#A1B2C3", "url(javascript:x)"],
        "symbols": ["lune", "<script>", "onload=alert(1)"],
        "intention": "<script>alert('x')</script>",
    }
    svg = mandala_svg(CHART, hostile)
    ET.fromstring(svg)
    assert "<script" not in svg.lower() and "javascript" not in svg and "onload" not in svg
    colours = set(re.findall(r'(?:fill|stroke)="(#[^"]+)"', svg))
    assert colours <= {"#112233", "#A1B2C3"}


def test_two_charts_give_two_figures_and_the_same_chart_the_same():
    choices = {"colors": ["#112233", "#ffcc00"], "symbols": ["soleil", "lotus"], "intention": "Joie"}
    other = {"bodies": [{"key": "sun", "longitude": 17.0}]}
    assert mandala_svg(CHART, choices) == mandala_svg(CHART, choices)
    assert mandala_svg(CHART, choices) != mandala_svg(other, choices)
