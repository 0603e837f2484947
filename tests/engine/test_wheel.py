"""The chart wheel: a standalone, accessible SVG that draws what the chart holds and nothing else."""

import itertools
import xml.etree.ElementTree as ET
from datetime import date, time

from engine.chart import BirthData, compute_chart
from engine.places import Place
from engine.wheel import chart_wheel_svg, spread_positions

SVG = "{http://www.w3.org/2000/svg}"
PARIS = Place("Paris", "Île-de-France", "FR", 48.85341, 2.3488, "Europe/Paris")


def _texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def test_the_wheel_is_valid_standalone_svg_with_a_french_title():
    chart = compute_chart(BirthData(date(1976, 7, 1), time(14, 30), PARIS))
    svg = chart_wheel_svg(chart, size_px=360)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("width") == "360"
    title = root.find(f"{SVG}title").text
    assert title == "Roue du thème natal : Soleil en Cancer, Lune en Lion, Ascendant Balance"
    assert "<script" not in svg and "href" not in svg and "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_wheel_shows_the_twelve_signs_the_ten_bodies_houses_and_angles():
    chart = compute_chart(BirthData(date(1976, 7, 1), time(14, 30), PARIS))
    texts = _texts(ET.fromstring(chart_wheel_svg(chart)))
    for glyph in "♈♉♊♋♌♍♎♏♐♑♒♓☉☽☿♀♂♃♄♅♆♇":
        assert any(glyph in text for text in texts), glyph
    assert {"AS", "MC"} <= set(texts)
    assert {str(n) for n in range(1, 13)} <= set(texts)
    assert sum(text == "R" for text in texts) == sum(body["retrograde"] for body in chart["bodies"])


def test_each_aspect_but_conjunctions_is_a_line_across_the_centre():
    chart = compute_chart(BirthData(date(1976, 7, 1), time(14, 30), PARIS))
    root = ET.fromstring(chart_wheel_svg(chart))
    coloured = [line for line in root.iter(f"{SVG}line") if line.get("stroke-linecap") == "round"]
    assert len(coloured) == sum(aspect["type"] != "conjunction" for aspect in chart["aspects"])


def test_without_a_birth_time_the_wheel_has_no_houses_and_its_title_says_so():
    chart = compute_chart(BirthData(date(1976, 7, 1), None, PARIS))
    root = ET.fromstring(chart_wheel_svg(chart))
    assert "heure de naissance inconnue" in root.find(f"{SVG}title").text
    assert not {"AS", "MC", "7"} & set(_texts(root))


def test_crowded_glyphs_are_spread_apart_near_their_true_places():
    crowded = [300.0, 301.0, 302.5, 303.0, 305.0, 306.0, 307.5, 120.0]
    shown = spread_positions(crowded, min_gap_deg=8)
    ordered = sorted(shown[:7])
    assert all(b - a >= 8 - 1e-6 for a, b in itertools.pairwise(ordered))
    assert shown[7] == 120.0
    assert abs(sum(shown[:7]) / 7 - sum(crowded[:7]) / 7) < 1e-6  # the group stays centred on its bodies
    assert spread_positions([359.0, 1.0], min_gap_deg=8) == [356.0, 4.0]  # across 0°
