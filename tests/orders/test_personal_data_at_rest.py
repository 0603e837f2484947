"""Every copy of a client's inputs is encrypted at rest, not only the intake (issue 11): read with raw SQL."""


import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from experts.generation import generation_fail
from experts.models import DeadLetter, GenerationAttempt
from experts.prompts import prompt_for
from orders.models import Order, OrderEvent, OrderStatus
from tests.experts.helpers import processing
from tests.factories import paid_order

PLACE = "Saint-Flour-sur-Ondine"
QUESTION = "Dois-je ouvrir la librairie des Tamaris ?"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _project_tables() -> list[str]:
    """Every table of the project's apps (and dj-stripe's, sessions'...): anything Django created."""
    return sorted({model._meta.db_table for model in apps.get_models() if model._meta.managed})


def _tables_holding(needle: str) -> list[str]:
    """Tables with at least one row whose text (every column) contains `needle` in clear."""
    found = []
    with connection.cursor() as cursor:
        for table in _project_tables():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT count(*) FROM {quoted} t WHERE strpos(t::text, %s) > 0", [needle])
            if cursor.fetchone()[0]:
                found.append(table)
    return found


def _raw(table: str, column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_after_a_full_desk_flow_no_column_holds_the_birth_place_or_the_question_in_clear(
    expert, django_capture_on_commit_callbacks
):
    order = paid_order(expert=expert, level=4, service="vip", birth_place=PLACE, question=QUESTION)
    desk = Client()
    desk.force_login(expert.user)
    # The pre-filled directive holds no personal data; an expert may still type some into the prompt.
    assert PLACE not in prompt_for(order) and QUESTION not in prompt_for(order)
    prefilled = f"{prompt_for(order)}\nNée à {PLACE}, elle demande : {QUESTION}"

    with django_capture_on_commit_callbacks(execute=True):
        desk.post(reverse("experts:generate", args=[order.pk]), {"prompt": prefilled, "instructions": f"Pour {PLACE}"})
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(reverse("experts:validate", args=[order.pk]),
                  {"action": "reject", "reason": f"Répondre à « {QUESTION} »", "notes": f"Né à {PLACE}"}, **HTMX)
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(reverse("experts:validate", args=[order.pk]), {"action": "approve", "notes": f"Bien, {PLACE}"}, **HTMX)
    # And a generator failure that quotes the question (errors land on the order, attempt, dead letter, event).
    failed = processing(expert, birth_place=PLACE, question=QUESTION)
    GenerationAttempt.objects.filter(order=failed).update(sends=settings.GENERATION_MAX_ATTEMPTS)  # its last try
    generation_fail(order_id=failed.pk, attempt_id=failed.generation_attempt_id, error=f"Refus : {QUESTION}")

    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED and order.revision_count == 1
    # The application still reads every copy in clear...
    assert QUESTION in order.rejection_reason
    assert QUESTION in str(GenerationAttempt.objects.filter(order=order).first().request)
    assert order.versions.get(revision=1).prompt == prefilled
    assert QUESTION in DeadLetter.objects.get(order=failed).error
    assert QUESTION in GenerationAttempt.objects.get(order=failed).last_error
    assert any(QUESTION in event.note for event in OrderEvent.objects.filter(order=failed))
    # ...while no table holds either in clear, in any column.
    assert _tables_holding(PLACE) == []
    assert _tables_holding(QUESTION) == []
    assert _raw("orders_order", "expert_prompt", order.pk).startswith("gAAAAA")
    assert _raw("orders_order", "generated_content", order.pk).startswith("gAAAAA")
    # The content and its versions are ciphertext whatever the generator wrote (it need not quote the question).
    for version in order.versions.all():
        assert _raw("orders_contentversion", "content", version.pk).startswith("gAAAAA")
        assert _raw("orders_contentversion", "prompt", version.pk).startswith("gAAAAA")


@pytest.mark.django_db
def test_encrypted_json_keeps_numbers_and_booleans_and_hides_the_keys(expert):
    order = paid_order(expert=expert)
    content = {"archetype": "La Lune", "score": 3, "ratio": 0.5, "done": True, "parts": [1, None, "x"]}
    Order.objects.filter(pk=order.pk).update(generated_content=content)

    order.refresh_from_db()
    assert order.generated_content == content
    assert "archetype" not in _raw("orders_order", "generated_content", order.pk)
