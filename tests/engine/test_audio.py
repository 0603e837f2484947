"""The spoken version (`audioScript`, level ≥ 2) as a listener hears it: nothing that only makes sense on paper, and
no pronoun pointing back to a sentence the script left out."""

import re

import pytest

from engine.composer import compose
from engine.composer.audio import audio_script
from engine.composer.library import fill, frames, texts
from engine.schema import reading_word_count
from tests.engine.test_composer import _request

# What a listener cannot see: the written reading's pages, what is below or above, the paper in one's hands.
WRITTEN_ONLY = re.compile(r"\b(?:pages?|ci-dessous|ci-dessus|entre vos mains|ces lignes|lisez)\b", re.IGNORECASE)


def _objective_closings() -> list[str]:
    frame = frames()
    themed = [text.format(topic=topic) for text in frame["objective_closing"] for topic in frame["topics"].values()]
    return themed + frame["objective_closing_plain"]


@pytest.mark.parametrize("level", [2, 3, 4])
def test_whichever_closing_the_reading_ends_with_the_listener_hears_its_objective_and_nothing_about_paper(level):
    content = compose(_request(level=level))
    assert not WRITTEN_ONLY.search(content["audioScript"]), content["audioScript"]
    for objective in _objective_closings():
        for closing in texts("phrases")["closings"]:
            content["reading"]["closing"] = f"{objective}\n\n{fill(closing, prenom='Camille')}"
            script = audio_script(content, "Camille", reading_word_count(content))
            assert not WRITTEN_ONLY.search(script), script.split("\n\n")[-1]
            farewell = script.split("\n\n")[-1]
            assert " ".join(objective.split()[:5]) in farewell, farewell  # said for the ear, not left out
            assert farewell.endswith("À bientôt, Camille.") and script.count("Camille") == 2, farewell


def test_the_objective_about_these_pages_is_heard_about_this_reading():
    content = compose(_request(level=2, objective=""))  # no theme in the objective: the plain closing
    assert content["reading"]["closing"].startswith("Quant à l'objectif que vous vous êtes donné, ces pages")
    assert ("Quant à l'objectif que vous vous êtes donné, cette lecture ne le fixe pas à votre place : elle vous "
            "rappelle sur quelles forces vous appuyer pour l'atteindre. Prenez le temps") in content["audioScript"]


@pytest.mark.parametrize("first_name", ["Camille", "Élodie"], ids=["camille", "elodie"])
def test_a_pronoun_after_a_greeting_left_out_is_heard_as_what_the_greeting_presented(first_name):
    content = compose(_request(level=2, first_name=first_name))
    intro = next(text for text in texts("phrases")["intros"] if text.startswith("Voici votre lecture, {prenom}. Elle "))
    place_and_question = content["reading"]["intro"].split("\n\n")[1]
    content["reading"]["intro"] = f"{fill(intro, prenom=first_name)}\n\n{place_and_question}"
    opening = audio_script(content, first_name, reading_word_count(content)).split("\n\n")[0]
    assert opening.startswith(f"Bonjour {first_name}. Voici la version parlée de votre lecture. Votre lecture a été "
                              "composée à partir de votre thème natal,"), opening
    assert not re.search(r"\bElles?\b", opening), opening


def test_a_pronoun_is_kept_when_its_sentence_is_heard():
    content = compose(_request(level=2))
    content["reading"]["intro"] = ("Camille, votre ciel a une voix singulière. Elle parle de vos élans. Prenez-la "
                                   "comme une conversation.")
    opening = audio_script(content, "Camille", reading_word_count(content)).split("\n\n")[0]
    assert "Votre ciel a une voix singulière. Elle parle de vos élans." in opening
