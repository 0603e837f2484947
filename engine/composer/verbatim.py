"""A rewrite answers the revision reason without quoting it.

The check, used by the composer and its tests: lowercase, accents kept, words as the schema counts them; no run of
4 consecutive words of the reason (or notes) may appear in any text of the content. Runs made only of short
grammatical words ("de la vie et") are ignored: a French text cannot avoid them. Any sentence holding such a run
is dropped (the library's own texts rarely do; the composer never copies the reason).
"""

from __future__ import annotations

import re

from engine.composer.library import sentences

_RUN = 4
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def _tokens(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


def quoted_runs(reason: str) -> set[tuple[str, ...]]:
    tokens = _tokens(reason)
    runs = {tuple(tokens[i:i + _RUN]) for i in range(len(tokens) - _RUN + 1)}
    return {run for run in runs if any(len(word) > 3 for word in run)}


def quotes(text: str, runs: set[tuple[str, ...]]) -> bool:
    tokens = _tokens(text)
    return any(tuple(tokens[i:i + _RUN]) in runs for i in range(len(tokens) - _RUN + 1))


def strip_quotes(value, runs: set[tuple[str, ...]]):
    """The content with every sentence that quotes a run removed (strings, lists and dicts walked)."""
    if not runs:
        return value
    if isinstance(value, dict):
        return {key: strip_quotes(item, runs) for key, item in value.items()}
    if isinstance(value, list):
        return [strip_quotes(item, runs) for item in value]
    if isinstance(value, str) and quotes(value, runs):
        paragraphs = []
        for paragraph in value.split("\n\n"):
            kept = [sentence for sentence in sentences(paragraph) if not quotes(sentence, runs)]
            if kept:
                paragraphs.append(" ".join(kept))
        return "\n\n".join(paragraphs) or "…"
    return value
