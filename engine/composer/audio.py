"""The spoken version (`audioScript`, level ≥ 2): greeting, the intro, each section's headline and first sentences,
the ritual, a farewell — about a third of the written reading, in plain sentences a TTS voice reads well."""

from __future__ import annotations

import re
from functools import cache

from engine.composer.library import capitalize, frames, plain, sentences, texts, words

_SHARE = 0.34  # of the reading's words; the acceptance range is 25–40 %
_RITUAL_SHARE = 0.36  # ritual steps are spoken while the script stays under this share
_INTRO_SENTENCES = 2
# An intro sentence that addressed the client and, without the first name, has this few words only greets
# ("Bonjour Camille.", "Camille, bienvenue dans cette lecture.", "Voici votre lecture, Camille.").
_GREETING_WORDS = 5
# A sentence-initial subject pronoun; after a greeting left out ("Voici votre lecture, Camille. Elle a été composée…"),
# it would point at the script's own "Voici la version parlée de votre lecture.".
_PRONOUN = re.compile(r"^(?:Elle|Il)s?\b\s*")


def audio_script(content: dict, first_name: str, reading_words: int) -> str:
    frame = frames()
    reading = content["reading"]
    opening = [frame["audio_opening"].format(prenom=first_name), *_spoken_intro(reading["intro"], first_name),
               frame["audio_sections"]]
    closing = [*_spoken_closing(reading["closing"]), frame["audio_closing"].format(prenom=first_name)]
    # Spoken headlines go straight to what the section says: no linking sentence, and no later theme's lead, which
    # only repeats the headline ("Votre vie amoureuse. Reste votre vie amoureuse, autre fil important…").
    linking = set(texts("phrases")["transitions"])
    linking |= {capitalize(lead.format(topic=topic)) for lead in frame["theme_leads_later"] for topic in frame["topics"].values()}
    sections = [(section["title"], [s for s in sentences(section["body"]) if s not in linking])
                for section in reading["sections"]]
    kept = [1] * len(sections)
    spent = sum(words(part) for part in opening + closing)
    spent += sum(words(title) + words(parts[0]) for title, parts in sections if parts)

    ritual_parts: list[str] = []
    ritual = content.get("ritual")
    if ritual:
        ritual_parts.append(frame["audio_ritual"].format(title=_no_period(ritual["title"]),
                                                         moment=_no_period(ritual["moment"])))
        intention = frame["audio_intention"].format(intention=ritual["intention"])
        spent += words(ritual_parts[0]) + words(intention)
        steps = list(ritual["steps"])
        while steps and spent + words(steps[0]) <= _RITUAL_SHARE * reading_words:  # a short tier hears fewer steps
            spent += words(steps[0])
            ritual_parts.append(steps.pop(0))
        if steps:
            ritual_parts.append(frame["audio_more_steps"])
            spent += words(frame["audio_more_steps"])
        ritual_parts.append(intention)

    grew = True
    while grew and spent < _SHARE * reading_words:  # one more sentence per section, in order, while the budget lasts
        grew = False
        for index, (_, parts) in enumerate(sections):
            if kept[index] < len(parts) and spent < _SHARE * reading_words:
                spent += words(parts[kept[index]])
                kept[index] += 1
                grew = True
    spoken = [f"{_no_period(title)}. {' '.join(parts[: kept[index]])}" for index, (title, parts) in enumerate(sections)]
    return "\n\n".join([" ".join(opening), *spoken, " ".join([*ritual_parts, *closing])])


def _spoken_intro(intro: str, first_name: str) -> list[str]:
    """The intro's first sentences as heard after the script's own "Bonjour {prenom}": the client is greeted once,
    so the intro's address by name goes ("Camille, chaque thème…" → "Chaque thème…"), a sentence that only greets
    is left out, and so is what only makes sense on paper ("Vous tenez entre vos mains…"); once something has been
    said, a sentence about the page ends the opening, since the next one may point back to it ("Prenez-les…").
    A pronoun opening the sentence after a greeting left out names what that greeting presented ("Voici votre
    lecture, Camille. Elle a été composée…" → "Votre lecture a été composée…")."""
    spoken: list[str] = []
    presented = ""  # what the greeting just left out presented: "Voici votre lecture." → "votre lecture"
    for sentence in sentences(intro.split("\n\n")[0]):
        unnamed = _without_address(sentence, first_name)
        if unnamed != sentence and words(unnamed) <= _GREETING_WORDS:
            presented = _presented(unnamed)
            continue
        if presented:  # "Elle a été composée…" → "Votre lecture a été composée…"
            unnamed = _PRONOUN.sub(f"{capitalize(presented)} ", unnamed, count=1)
            presented = ""
        if _is_written_only(unnamed):
            if spoken:
                break
            continue
        spoken.append(unnamed)
        if len(spoken) == _INTRO_SENTENCES:
            break
    return spoken


def _spoken_closing(closing: str) -> list[str]:
    """The closing's first sentence, its word on the client's objective, said for the ear: what it says of "ces
    pages" is said of the reading (frames.json `audio_spoken_forms`), and a sentence still about paper is left out
    (the script's own farewell follows)."""
    sentence = next(iter(sentences(closing)), "")
    for written, said in frames()["audio_spoken_forms"].items():
        sentence = sentence.replace(written, said)
    return [sentence] if sentence and not _is_written_only(sentence) else []


def _is_written_only(sentence: str) -> bool:
    """Whether a sentence only makes sense on paper (frames.json `audio_written_only`), matching whole words:
    « lisez » is not in « réalisez »."""
    return bool(_written_only_cues().search(plain(sentence)))


@cache
def _written_only_cues() -> re.Pattern:
    return re.compile("|".join(rf"\b{re.escape(plain(cue))}\b" for cue in frames()["audio_written_only"]))


def _presented(greeting: str) -> str:
    """What a greeting presents: "Voici votre lecture." → "votre lecture"; "" for "Bonjour." or "Bienvenue."."""
    match = re.fullmatch(r"Voici (.+?)[.!]", greeting)
    return match.group(1) if match else ""


def _without_address(sentence: str, first_name: str) -> str:
    """"Camille, bienvenue…" → "Bienvenue…"; "Voici votre lecture, Camille." → "Voici votre lecture."."""
    name = re.escape(first_name)
    sentence = re.sub(rf"^{name}\s*,\s*", "", sentence)
    sentence = re.sub(rf",?\s+{name}(?=\s*[.!?,])", "", sentence)
    return capitalize(sentence)


def _no_period(text: str) -> str:
    return text.rstrip(" .")
