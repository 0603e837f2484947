"""The offline writer (GENERATION_BACKEND=local): a reading composed from the chart and the texts in engine/texts/.

`compose(request)` returns content valid for `engine.schema.content_schema(level)`; it is deterministic (every
choice comes from a SHA-256 of the request's seed and, on a revision, of the reason), so the same request always
gives the same text. Modules: `plan` (themes and revision cues), `reading` (sections and length), `extras` (ritual,
synthesis, mandala, guidance), `audio`, `verbatim` (a rewrite never quotes its reason), `sky` (transits hook).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from engine.composer import extras
from engine.composer.audio import audio_script
from engine.composer.chartfacts import ChartFacts
from engine.composer.library import Picker, fill, frames, plain, texts, words
from engine.composer.plan import make_plan
from engine.composer.reading import ReadingBuilder, fit
from engine.composer.verbatim import quoted_runs, strip_quotes
from engine.schema import target_words

__all__ = ["CompositionRequest", "compose"]

# Per tier (by duration): sections kept first, theme sections at most, aspects told.
_TIERS = {30: (5, 1, 2), 60: (9, 2, 3), 90: (12, 3, 4)}


@dataclass(frozen=True)
class CompositionRequest:
    first_name: str
    level: int
    service: str
    duration_minutes: int
    chart: dict | None
    question: str
    objective: str
    expert_prompt: str
    expert_instructions: str
    delivery_date: date
    seed: str
    revision_reason: str = ""
    revision_notes: str = ""
    previous_content: dict | None = None


def _tier(duration_minutes: int) -> tuple[int, int, int]:
    return _TIERS[min(_TIERS, key=lambda minutes: (abs(minutes - duration_minutes), minutes))]


def compose(request: CompositionRequest) -> dict:
    reason = " ".join(part for part in (request.revision_reason, request.revision_notes) if part.strip())
    seed = request.seed
    if reason:
        seed += "\x1frevision\x1f" + hashlib.sha256(reason.encode()).hexdigest()
    picker = Picker(seed)
    first_name = request.first_name.strip() or "vous"
    max_sections, max_themes, aspect_count = _tier(request.duration_minutes)
    facts = ChartFacts(request.chart)
    plan = make_plan(expert=f"{request.expert_prompt} {request.expert_instructions}", question=request.question,
                     objective=request.objective, max_themes=max_themes, reason=reason)
    previous = request.previous_content or {}
    builder = ReadingBuilder(facts, plan, picker, first_name)
    candidates = builder.candidates(aspect_count + (1 if plan.longer else 0))
    intro = _intro(facts, plan, picker, first_name, candidates, previous)  # a first draft, to size the fit
    closing = _closing(plan, picker, first_name, previous)
    target = target_words(request.duration_minutes) * plan.length_factor
    # Transitions open about every other section (~9 words each); counted up front so that the fit stays in range.
    fixed_words = words(intro) + words(closing) + 9 * (max_sections // 2)
    sections = fit(candidates, fixed_words=fixed_words, target=target,
                   max_sections=max_sections + (2 if plan.longer else 0) - (1 if plan.length_factor < 1 else 0))
    intro = _intro(facts, plan, picker, first_name, sections, previous)  # now pointing only at sections kept
    bodies = _with_transitions(sections, picker)
    title_options = [fill(title, prenom=first_name) for title in texts("phrases")["titles"]]
    content: dict = {
        "title": _fresh(picker, "title", title_options, previous.get("title")),
        "archetype": _archetype(facts),
        "reading": {
            "intro": intro,
            "sections": [{"title": section.final_title(), "body": body} for section, body in zip(sections, bodies, strict=True)],
            "closing": closing,
        },
    }
    if request.level >= 2:
        content["ritual"] = extras.ritual(facts, plan, request.delivery_date, first_name)
    if request.level >= 3:
        content["synthesis"] = extras.synthesis(facts, first_name)
        content["mandala"] = extras.mandala(facts, plan)
    if request.level >= 4:
        content["guidance"] = extras.guidance(facts, request.delivery_date, first_name, picker)
    content = strip_quotes(content, quoted_runs(reason))
    if request.level >= 2:
        from engine.schema import reading_word_count

        content["audioScript"] = audio_script(content, first_name, reading_word_count(content))
        content = strip_quotes(content, quoted_runs(reason))
    return _ordered(content, request.level)


def _ordered(content: dict, level: int) -> dict:
    from engine.schema import SECTIONS_BY_LEVEL

    return {key: content[key] for key in SECTIONS_BY_LEVEL[level]}


def _fresh(picker: Picker, key: str, options: list[str], avoid: str | None) -> str:
    """A seeded pick that, on a revision, is not the one the previous version used."""
    ordered = picker.order(key, options)
    return next((option for option in ordered if option != avoid), ordered[0])


def _intro(facts: ChartFacts, plan, picker: Picker, first_name: str, candidates, previous: dict) -> str:
    frame = frames()
    intros = [fill(text, prenom=first_name) for text in texts("phrases")["intros"]]
    parts = [_fresh(picker, "intro", intros, (previous.get("reading") or {}).get("intro", "").split("\n\n")[0])]
    if facts.time_known and facts.place and facts.place.get("name"):
        parts.append(frame["place_known"].format(place=facts.place["name"]))
    elif facts.bodies and not facts.time_known:
        parts.append(frame["time_unknown"] if facts.place else frame["place_unknown"])
    elif not facts.bodies:
        parts.append(frame["no_chart"])
    if plan.question_theme:
        title = next((s.title for s in candidates if s.key == f"theme:{plan.question_theme}"), None)
        options = frame["question_intro"] if title else frame["question_intro_plain"]
        parts.append(picker.choice("question", options).format(topic=frame["topics"][plan.question_theme], title=title))
    else:
        parts.append(picker.choice("question", frame["question_intro_plain"]))
    return "\n\n".join([parts[0], " ".join(parts[1:])])


def _closing(plan, picker: Picker, first_name: str, previous: dict) -> str:
    frame = frames()
    closings = [fill(text, prenom=first_name) for text in texts("phrases")["closings"]]
    if plan.objective_theme:
        objective = picker.choice("objective", frame["objective_closing"]).format(topic=frame["topics"][plan.objective_theme])
    else:
        objective = picker.choice("objective", frame["objective_closing_plain"])
    previous_closing = (previous.get("reading") or {}).get("closing", "").split("\n\n")[-1]
    return "\n\n".join([objective, _fresh(picker, "closing", closings, previous_closing)])


def _with_transitions(sections, picker: Picker) -> list[str]:
    """Sections as text; a linking sentence opens about every other section after the first, never twice the same.

    A transition that names something ("vie affective", "planète", "dialoguent"…) only opens a section about it
    (frames.json `transition_rules`); the others are generic. Theme sections open with their own lead instead.
    """
    rules = frames()["transition_rules"]

    def fits(transition: str, key: str) -> bool:
        matched = [keys for stem, keys in rules if stem in plain(transition)]
        return key in matched[0] if matched else not key.startswith("theme:")

    pool = picker.order("transitions", texts("phrases")["transitions"])
    result, since_last = [], 1
    for index, section in enumerate(sections):
        paragraphs = section.body_parts()
        specific = [t for t in pool if any(stem in plain(t) for stem, _ in rules) and fits(t, section.key)]
        generic = [t for t in pool if fits(t, section.key) and t not in specific]
        choice = specific[0] if specific else (generic[0] if generic and since_last >= 1 else None)
        if index > 0 and choice:
            pool.remove(choice)
            paragraphs = [f"{choice} {paragraphs[0]}", *paragraphs[1:]]
            since_last = 0
        else:
            since_last += 1
        result.append("\n\n".join(paragraphs))
    return result


def _archetype(facts: ChartFacts) -> dict:
    if facts.arcanum is not None:
        return {"name": texts("arcana")[str(facts.arcanum)]["name"], "source": "arcane de naissance, Tarot de Marseille"}
    sun = facts.body("sun")
    if sun:
        return {"name": f"Soleil en {sun.sign_name}", "source": "signe solaire"}
    return {"name": "Le Voyageur", "source": "lecture sans thème natal"}
