"""The generation request (SPEC §11): one request, built from templates, for every level and tier; what a
revision adds; and nothing personal beyond the first name leaves Lumira (SPEC §9)."""

import json

import pytest

from engine.schema import SECTIONS_BY_LEVEL, content_schema
from experts.generation_request import NO_CHART, chart_lines, generation_request_for
from experts.payload import generation_payload
from experts.services import content_validate
from tests.experts.helpers import in_validation
from tests.factories import paid_order

CHART = {
    "timeKnown": True,
    "place": {"name": "Lyon", "latitude": 45.76, "longitude": 4.84, "timezone": "Europe/Paris", "utcOffset": 120},
    "bodies": [
        {"key": "sun", "longitude": 22.4, "sign": "Bélier", "degree": 22.4, "retrograde": False},
        {"key": "moon", "longitude": 130.2, "sign": "Lion", "degree": 10.2, "retrograde": False},
        {"key": "mercury", "longitude": 5.0, "sign": "Bélier", "degree": 5.0, "retrograde": True},
    ],
    "angles": {"ascendant": 95.5, "midheaven": 3.1},
    "houseSystem": "Placidus",
    "houses": [95.5 + 30 * index for index in range(12)],
    "aspects": [{"a": "sun", "b": "moon", "type": "trine", "orb": 2.2}],
    "moonPhase": {"name": "Premier quartier", "illumination": 0.52},
    "numerology": {"lifePath": 8, "expression": 5},
    "tarot": [{"number": 8, "name": "La Justice"}],
    "chineseSign": "Cheval",
}
SURNAME, EMAIL, PHONE = "Vasquez-Tremblay", "camille.vt@example.org", "+33 6 12 34 56 78"


def order_with_chart(level=2, service="premium", **kwargs):
    order = paid_order(level=level, service=service, client_name=f"Camille {SURNAME}", client_phone=PHONE,
                       question="Vais-je trouver ma voie ?", objective="Oser changer", birth_place="Lyon",
                       birth_time="08:30", **kwargs)
    order.client_email = EMAIL
    order.expert_prompt = "Insister sur le travail et la créativité."
    order.expert_instructions = "Ton très doux."
    order.chart = CHART  # the chart field lands with the intake part; the request reads it when present
    return order


@pytest.mark.django_db
@pytest.mark.parametrize("level", [1, 2, 3, 4])
@pytest.mark.parametrize(("service", "words"), [("basic", 750), ("premium", 1500), ("vip", 2250)])
def test_the_request_for_each_level_and_tier_carries_the_chart_the_intake_the_directive_and_the_length(
    level, service, words
):
    order = order_with_chart(level=level, service=service)

    request = generation_request_for(order)

    assert [message["role"] for message in request.messages] == ["system", "user"]
    system, user = (message["content"] for message in request.messages)
    assert "vouvoi" in system and "médical" in system and "fatalisme" in system and "uniquement du thème" in system
    assert "Soleil : Bélier 22,4°" in user and "Ascendant : Cancer" in user and "Soleil trigone Lune" in user
    assert all(text in user for text in ("Camille", "Vais-je trouver ma voie ?", "Oser changer", "Lyon", "08:30"))
    assert "Insister sur le travail et la créativité." in user and "Ton très doux." in user
    assert f"environ {words} mots" in user and f"jamais moins de {words // 2}" in user
    assert all(f"- {key} :" in user for key in SECTIONS_BY_LEVEL[level])
    assert request.target_words == words and request.response_schema == content_schema(level)


@pytest.mark.django_db
def test_nothing_but_the_first_name_leaves_lumira(settings):
    order = order_with_chart(level=4, service="vip")
    order.save()

    payload = json.dumps(generation_payload(order, generation_request_for(order), attempt_id="a"), ensure_ascii=False)

    assert "Camille" in payload
    assert SURNAME not in payload and EMAIL not in payload and PHONE not in payload and "06 12 34" not in payload


@pytest.mark.django_db
def test_without_a_chart_the_request_says_so_instead_of_inventing_positions():
    order = paid_order(level=1, service="basic")

    user = generation_request_for(order).messages[1]["content"]

    assert NO_CHART in user and "Soleil :" not in user


def test_a_chart_without_birth_time_says_there_are_no_houses():
    lines = chart_lines({**CHART, "angles": None, "houses": None, "houseSystem": None})

    assert "- Heure ou lieu de naissance inconnus : ni Ascendant ni maisons." in lines
    assert "- Mercure : Bélier 5,0° (rétrograde)" in lines


@pytest.mark.django_db
def test_a_revision_adds_the_previous_version_the_reason_and_the_notes_to_answer_without_quoting_them(
    expert, django_capture_on_commit_callbacks, settings
):
    order = in_validation(expert, level=2, service="basic")
    previous = order.generated_content
    settings.GENERATION_BACKEND = "n8n"  # the revision waits for n8n: the order keeps its rejection data
    settings.N8N_WEBHOOK_URL = "http://127.0.0.1:9/"
    content_validate(order_id=order.pk, expert=expert, action="reject", reason="Parler davantage de la carrière",
                     notes="Un rituel plus court")
    order.refresh_from_db()

    messages = generation_request_for(order).messages

    assert [message["role"] for message in messages] == ["system", "user", "assistant", "user"]
    assert json.loads(messages[2]["content"]) == previous
    revision = messages[3]["content"]
    assert "Parler davantage de la carrière" in revision and "Un rituel plus court" in revision
    assert "SANS les citer ni les mentionner" in revision and "750 mots" in revision


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_the_desks_default_directive_leaves_the_clients_work_question_first_in_the_offline_reading(level):
    """The pre-filled directive names no theme of its own, so the client's question leads (here: work)."""
    from datetime import date

    from engine.composer import CompositionRequest, compose
    from engine.composer.library import texts
    from experts.prompts import INSTRUCTION_TEMPLATES, PROMPT_TEMPLATES

    content = compose(CompositionRequest(
        first_name="Élodie", level=level, service="premium", duration_minutes=60, chart=None,
        question="Je travaille depuis huit ans dans la même agence et je m'y ennuie : quel cap prendre ?",
        objective="Reprendre confiance en mes choix professionnels.", expert_prompt=PROMPT_TEMPLATES[level],
        expert_instructions=INSTRUCTION_TEMPLATES[level].format(duration=60), delivery_date=date(2026, 12, 1),
        seed="order-1:0",
    ))
    assert content["reading"]["sections"][0]["title"] == texts("themes")["travail"]["section_title"]
