"""The generation request (SPEC §11): what any writer is asked, built in one place from templates.

Every backend (n8n, openai, local) and the desk's "Ce qui sera envoyé" block read the same request. It carries
the client's first name only: never the surname, the email or the phone (SPEC §9).
"""

import json
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from engine.schema import SECTIONS_BY_LEVEL, content_schema, target_words
from orders.models import ContentVersion, Level, Order, Service

from .prompts import instructions_for, prompt_for

WORDS_PER_SECTION = 250
NO_CHART = "Thème non calculé : appuyez-vous seulement sur la date de naissance et le récit de la personne."
UNKNOWN = "non précisé(e)"

BODY_NAMES = {
    "sun": "Soleil", "moon": "Lune", "mercury": "Mercure", "venus": "Vénus", "mars": "Mars", "jupiter": "Jupiter",
    "saturn": "Saturne", "uranus": "Uranus", "neptune": "Neptune", "pluto": "Pluton",
}
ASPECT_NAMES = {
    "conjunction": "conjonction", "sextile": "sextile", "square": "carré", "trine": "trigone", "opposition": "opposition",
}
SIGNS = (
    "Bélier", "Taureau", "Gémeaux", "Cancer", "Lion", "Vierge",
    "Balance", "Scorpion", "Sagittaire", "Capricorne", "Verseau", "Poissons",
)
SECTION_DESCRIPTIONS = {
    "title": "title : le titre de la lecture",
    "archetype": "archetype : l'archétype dominant, {name, source} (source : d'où il vient dans le thème)",
    "reading": "reading : {intro, sections: [{title, body}…], closing}, la lecture écrite",
    "ritual": "ritual : {title, moment, steps (au moins 3 étapes), intention}, un rituel simple à pratiquer chez soi",
    "audioScript": "audioScript : le texte qui sera lu à voix haute (fluide, sans titres ni listes)",
    "synthesis": "synthesis : quelques paragraphes qui relient l'archétype, le rituel et le mandala",
    "mandala": "mandala : {colors (2 à 8 couleurs #rrggbb), symbols (1 à 8 parmi ceux du schéma), intention}",
    "guidance": "guidance : 30 entrées {day (1 à 30), focus, practice}, une guidance jour par jour",
}


@dataclass(frozen=True)
class GenerationRequest:
    level: int
    duration_minutes: int
    target_words: int
    messages: list[dict[str, str]]
    response_schema: dict = field(repr=False)

    def as_json(self) -> dict:
        """What is kept with the attempt and shown by the API (`generationRequest`)."""
        return {"messages": self.messages, "targetWords": self.target_words}


def _sign_of(longitude: float) -> str:
    return SIGNS[int(longitude % 360 // 30)]


def _degrees(value: float) -> str:
    return f"{value:.1f}°".replace(".", ",")


def chart_lines(chart: dict | None) -> list[str]:
    """The chart as readable French lines: what the writer may rely on, and nothing else."""
    if not chart:
        return [NO_CHART]
    lines = []
    for body in chart.get("bodies") or []:
        name = BODY_NAMES.get(body.get("key"), body.get("key"))
        retro = " (rétrograde)" if body.get("retrograde") else ""
        house = f", maison {body['house']}" if body.get("house") else ""
        lines.append(f"- {name} : {body.get('sign')} {_degrees(body.get('degree', 0))}{retro}{house}")
    angles = chart.get("angles")
    if angles:
        for key, label in (("ascendant", "Ascendant"), ("midheaven", "Milieu du Ciel")):
            if angles.get(key) is not None:
                lines.append(f"- {label} : {_sign_of(angles[key])} {_degrees(angles[key] % 30)}")
        if chart.get("houseSystem"):
            lines.append(f"- Système de maisons : {chart['houseSystem']}")
    else:
        lines.append("- Heure ou lieu de naissance inconnus : ni Ascendant ni maisons.")
    for aspect in chart.get("aspects") or []:
        lines.append(
            f"- Aspect : {BODY_NAMES.get(aspect.get('a'), aspect.get('a'))} "
            f"{ASPECT_NAMES.get(aspect.get('type'), aspect.get('type'))} "
            f"{BODY_NAMES.get(aspect.get('b'), aspect.get('b'))} (orbe {_degrees(aspect.get('orb', 0))})"
        )
    if phase := chart.get("moonPhase"):
        lines.append(f"- Phase de la Lune à la naissance : {phase.get('name')} ({round(100 * phase.get('illumination', 0))} %)")
    if numerology := chart.get("numerology"):
        lines.append(
            f"- Numérologie : chemin de vie {numerology.get('lifePath')}, nombre d'expression {numerology.get('expression')}"
        )
    if tarot := chart.get("tarot"):
        lines.append("- Arcane(s) de naissance : " + ", ".join(f"{card['name']} ({card['number']})" for card in tarot))
    if chart.get("chineseSign"):
        lines.append(f"- Signe chinois : {chart['chineseSign']}")
    return lines


def _previous_content(order: Order) -> dict | None:
    return (
        ContentVersion.objects.filter(order=order, revision=order.revision_count - 1)
        .values_list("content", flat=True).first()
    )


def _user_context(order: Order, words: int) -> dict:
    sections = max(1, round(words / WORDS_PER_SECTION))
    return {
        "level_name": Level(order.level).label,
        "service_name": Service(order.service).label if order.service in Service.values else order.service,
        "duration": order.duration,
        "first_name": order.client_first_name or "la personne",
        "chart_lines": chart_lines(getattr(order, "chart", None)),
        "birth_date": order.birth_date.strftime("%d/%m/%Y") if order.birth_date else UNKNOWN,
        "birth_time": order.birth_time or "inconnue",
        "birth_place": order.birth_place or UNKNOWN,
        "question": (order.question or "").strip() or "(aucune question précisée)",
        "objective": (order.objective or "").strip() or "(aucun objectif précisé)",
        "sections": [SECTION_DESCRIPTIONS[key] for key in SECTIONS_BY_LEVEL[order.level]],
        "target_words": words,
        "minimum_words": words // 2,
        "section_count": sections,
        "words_per_section": words // sections,
        "expert_prompt": prompt_for(order).strip(),
        "expert_instructions": instructions_for(order).strip(),
    }


def generation_request_for(order: Order) -> GenerationRequest:
    """The request for the order's current revision, from its current prompt, instructions and intake."""
    words = target_words(order.duration)
    messages = [
        {"role": "system", "content": render_to_string("experts/prompts/system.txt").strip()},
        {"role": "user", "content": render_to_string("experts/prompts/user.txt", _user_context(order, words)).strip()},
    ]
    if order.revision_count > 0:
        previous = _previous_content(order)
        if previous is not None:
            messages.append({"role": "assistant", "content": json.dumps(previous, ensure_ascii=False)})
        revision = render_to_string("experts/prompts/revision.txt", {
            "revision": order.revision_count,
            "rejection_reason": (order.rejection_reason or "").strip() or "(non précisé)",
            "validation_notes": (order.validation_notes or "").strip(),
            "target_words": words,
        })
        messages.append({"role": "user", "content": revision.strip()})
    return GenerationRequest(
        level=order.level, duration_minutes=order.duration, target_words=words, messages=messages,
        response_schema=content_schema(order.level),
    )
