"""Content in the shape of engine/schema.py for tests, valid for a level and a duration, with one marker per
part (MARK-…) so that a test can tell which parts a page or a PDF shows."""

import datetime

from bench.deliverables import sample_text
from engine.chart import BirthData, compute_chart
from engine.places import resolve_place
from engine.schema import GUIDANCE_DAYS, target_words, validate_content

MARKS = {
    "reading": "MARK-READING",
    "section": "MARK-SECTION",
    "ritual": "MARK-RITUAL",
    "synthesis": "MARK-SYNTHESIS",
    "guidance": "MARK-GUIDANCE",
}
MANDALA_COLORS = ["#2e1a47", "#c9a227", "#7b5ea7"]
def reading_content(level: int, duration: int = 60) -> dict:
    """Content valid for `content_schema(level)` at the tier of `duration` minutes (checked here)."""
    words = target_words(duration)
    content: dict = {
        "title": "La Prêtresse : la lecture de Camille",
        "archetype": {"name": "La Prêtresse", "source": "arcane de naissance"},
        "reading": {
            "intro": f"{MARKS['reading']} Camille, une période d’écoute intérieure s’ouvre à vous, « œuvre du cœur ».",
            "sections": [
                {"title": f"Votre chemin professionnel {MARKS['section']}", "body": sample_text(words // 2)},
                {"title": "Vos liens et votre cœur", "body": sample_text(words // 2)},
            ],
            "closing": "Gardez ce qui vous parle, et laissez le reste mûrir.",
        },
    }
    if level >= 2:
        content["ritual"] = {
            "title": "Le rituel de la nouvelle lune",
            "moment": "Le soir de la nouvelle lune du 12 décembre 2026",
            "steps": [f"{MARKS['ritual']} Allumez une bougie blanche.", "Écrivez trois intentions.",
                      "Gardez le papier sous la bougie jusqu’au matin."],
            "intention": "Je laisse venir ce qui est juste.",
        }
        content["audioScript"] = "Bonjour Camille. Voici votre lecture. Prenez le temps de respirer."
    if level >= 3:
        content["synthesis"] = f"{MARKS['synthesis']} Confiance et patience.\n\nVotre force est dans la constance."
        content["mandala"] = {"colors": MANDALA_COLORS, "symbols": ["lune", "lotus", "etoile"],
                              "intention": "Accueillir la douceur."}
    if level >= 4:
        content["guidance"] = [
            {"day": day, "focus": f"Focus du jour {day}",
             "practice": f"{MARKS['guidance'] if day == 1 else 'Pratique'} n° {day} : marchez en silence dix minutes."}
            for day in range(1, GUIDANCE_DAYS + 1)
        ]
    errors = validate_content(content, level=level, duration_minutes=duration)
    assert errors == [], errors
    return content


def sample_chart() -> dict:
    """A real chart (engine.chart): Lyon, 12 April 1990, 08:30."""
    birth = BirthData(datetime.date(1990, 4, 12), datetime.time(8, 30), resolve_place("Lyon"), "Camille Lune")
    return compute_chart(birth)
