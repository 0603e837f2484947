"""Content in the shape of engine/schema.py for tests, valid for a level and a duration, with one marker per
part (MARK-…) so that a test can tell which parts a page or a PDF shows."""

import datetime

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
_SENTENCES = (
    "La lune éclaire votre chemin et vous invite à écouter votre cœur, avec douceur.",
    "Ces jours de passage sont ceux où l’œuvre intérieure prend forme, sans bruit.",
    "Votre Soleil en Bélier vous donne l’élan ; votre Lune en Scorpion, la profondeur.",
    "Accordez-vous le droit d’essayer, de vous tromper et de recommencer : la confiance grandit ainsi.",
    "Un petit geste tenu chaque jour vaut mieux qu’un grand projet remis à plus tard.",
    "Notez ce qui vous touche au fil des jours ; ces notes dessineront votre direction.",
)


def _filler(words: int) -> str:
    """About `words` words in paragraphs of four sentences, as a reading is written."""
    sentences, count = [], 0
    while count < words:
        sentences.append(_SENTENCES[len(sentences) % len(_SENTENCES)])
        count += len(sentences[-1].split())
    return "\n\n".join(" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4))


def reading_content(level: int, duration: int = 60) -> dict:
    """Content valid for `content_schema(level)` at the tier of `duration` minutes (checked here)."""
    words = target_words(duration)
    content: dict = {
        "title": "La Prêtresse : la lecture de Camille",
        "archetype": {"name": "La Prêtresse", "source": "arcane de naissance"},
        "reading": {
            "intro": f"{MARKS['reading']} Camille, une période d’écoute intérieure s’ouvre à vous, « œuvre du cœur ».",
            "sections": [
                {"title": f"Votre chemin professionnel {MARKS['section']}", "body": _filler(words // 2)},
                {"title": "Vos liens et votre cœur", "body": _filler(words // 2)},
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
