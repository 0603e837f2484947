"""Lumira's reading engine: pure functions and small dataclasses, no Django import (STYLE §8).

Modules (each owned by one concern; the Django apps call them through one service each):
- `places`     — birth place text → coordinates and IANA time zone, offline (bundled gazetteer).
- `chart`      — intake → natal chart (SPEC §11 "Intake → chart"), as the SPEC §9 `chart` dict.
- `transits`   — what the sky does after delivery: next new/full moon, the 30 days' transits to a chart.
- `wheel`      — the chart wheel as SVG (drawn by Lumira).
- `schema`     — the content JSON Schema per level and its validation (SPEC §11 "Content schema").
- `composer`   — the offline writer (GENERATION_BACKEND=local); its texts live in `engine/texts/` as data.
- `mandala`    — the mandala SVG from the chart and the content's `mandala` choices.
"""
