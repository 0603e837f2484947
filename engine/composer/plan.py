"""What a reading should stress, read from the words of the expert, the client and (on a revision) the reason.

Themes are spotted with themes.json's keywords (lowercase stems, matched without accents at the start of a word);
the expert's words weigh most, then the client's question, then the objective. A revision's reason comes first of
all: its themes lead the reading and their sections are kept whole and concrete; its cues ("plus court", "plus
doux", "trop générale"…, frames.json `revision_cues`) change the length, the tone or the detail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from engine.composer.library import THEMES, frames, plain, texts

_WEIGHT_EXPERT, _WEIGHT_QUESTION, _WEIGHT_OBJECTIVE = 3, 2, 1


@dataclass
class Plan:
    themes: list[str] = field(default_factory=list)  # theme sections, most important first
    question_theme: str | None = None
    objective_theme: str | None = None
    full_themes: set[str] = field(default_factory=set)  # asked for by a revision: kept whole
    concrete_themes: set[str] = field(default_factory=set)  # with concrete steps
    length_factor: float = 1.0
    gentler: bool = False
    longer: bool = False
    revision: bool = False


@cache
def _patterns() -> dict[str, re.Pattern]:
    return {
        theme: re.compile(r"\b(?:" + "|".join(re.escape(plain(word)) for word in texts("themes")[theme]["keywords"]) + ")")
        for theme in THEMES
    }


def theme_scores(text: str) -> dict[str, int]:
    normalised = plain(text)
    return {theme: len(pattern.findall(normalised)) for theme, pattern in _patterns().items()}


def _ranked(scores: dict[str, float]) -> list[str]:
    return [theme for theme in sorted(THEMES, key=lambda t: (-scores[t], THEMES.index(t))) if scores[theme] > 0]


def _has_cue(text: str, cue: str) -> bool:
    return any(re.search(r"\b" + re.escape(stem), plain(text)) for stem in frames()["revision_cues"][cue])


def make_plan(*, expert: str, question: str, objective: str, max_themes: int, reason: str = "") -> Plan:
    scores = {theme: 0.0 for theme in THEMES}
    for text, weight in ((expert, _WEIGHT_EXPERT), (question, _WEIGHT_QUESTION), (objective, _WEIGHT_OBJECTIVE)):
        for theme, count in theme_scores(text).items():
            scores[theme] += weight * count
    question_themes, objective_themes = _ranked(theme_scores(question)), _ranked(theme_scores(objective))
    themes = _ranked(scores)[:max_themes]
    if question_themes and question_themes[0] not in themes:  # the client's own question always gets its section
        themes.append(question_themes[0])
    plan = Plan(
        themes=themes,
        question_theme=question_themes[0] if question_themes else None,
        objective_theme=objective_themes[0] if objective_themes else None,
    )
    if reason.strip():
        _apply_revision(plan, reason, max_themes)
    return plan


def _apply_revision(plan: Plan, reason: str, max_themes: int) -> None:
    plan.revision = True
    asked = _ranked(theme_scores(reason))
    plan.themes = [*asked, *[theme for theme in plan.themes if theme not in asked]][: max(max_themes, len(asked))]
    plan.full_themes = set(asked)
    concrete = _has_cue(reason, "concrete")
    plan.concrete_themes = set(asked) | (set(plan.themes[:1]) if concrete else set())
    plan.gentler = _has_cue(reason, "gentler")
    shorter = _has_cue(reason, "shorter") and not re.search(r"\btrop court", plain(reason))
    plan.longer = _has_cue(reason, "longer") and not shorter
    plan.length_factor = 0.85 if shorter else 1.18 if plan.longer else 1.0
