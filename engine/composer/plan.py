"""What a reading should stress, read from the words of the expert, the client and (on a revision) the reason.

Themes are spotted with themes.json's keywords (lowercase stems, matched without accents at the start of a word);
the expert's words come first, then the client's question, then the objective. A revision's reason comes first of
all: its themes lead the reading and their sections are kept whole and concrete; its cues ("plus court", "plus
doux", "trop générale"…, frames.json `revision_cues`) change the length, the tone or the detail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from engine.composer.library import THEMES, frames, plain, texts


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


def _ranked(scores: dict) -> list[str]:
    """Themes with a score, best first; a score is a count or a tuple of counts (compared in order)."""
    def key(theme):
        score = scores[theme] if isinstance(scores[theme], tuple) else (scores[theme],)
        return (tuple(-value for value in score), THEMES.index(theme))

    return [theme for theme in sorted(THEMES, key=key) if any(v > 0 for v in (
        scores[theme] if isinstance(scores[theme], tuple) else (scores[theme],)))]


def _has_cue(text: str, cue: str) -> bool:
    return any(re.search(r"\b" + re.escape(stem), plain(text)) for stem in frames()["revision_cues"][cue])


def make_plan(*, expert: str, question: str, objective: str, max_themes: int, reason: str = "") -> Plan:
    # The expert steers: their themes lead, then the client's question's, then the objective's.
    by_source = [theme_scores(text) for text in (expert, question, objective)]
    scores = {theme: tuple(source[theme] for source in by_source) for theme in THEMES}
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
    plan.length_factor = 0.85 if shorter else 1.12 if plan.longer else 1.0
