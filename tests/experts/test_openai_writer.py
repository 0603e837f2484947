"""GENERATION_BACKEND=openai against a real HTTP server standing in for an OpenAI-compatible API (tasks run
eagerly here: retries follow at once)."""

import json
from decimal import Decimal

import pytest

from engine.schema import content_schema
from experts.models import AIRunOutcome, AttemptOutcome, DeadLetter, DeadLetterReason, GenerationAttempt
from experts.services import generation_start
from experts.writers import openai_api
from orders.models import OrderStatus
from tests.experts.helpers import sample_content
from tests.factories import paid_order


@pytest.fixture
def order(expert, llm):
    order = paid_order(expert=expert, level=2, service="basic", question="Vais-je changer de voie ?")
    llm.content = sample_content(2, order.duration)
    return order


def send(order, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        generation_start(order_id=order.pk, expert=order.expert, prompt="Parler du travail.", instructions="Doux")
    order.refresh_from_db()


def runs(order) -> list[tuple]:
    return list(order.ai_runs.order_by("created_at", "id").values_list("backend", "model", "outcome"))


@pytest.mark.django_db
def test_a_valid_answer_becomes_a_version_and_its_tokens_and_cost_are_recorded(llm, order, django_capture_on_commit_callbacks):
    send(order, django_capture_on_commit_callbacks)

    assert order.status == OrderStatus.AWAITING_VALIDATION and order.generated_content == llm.content
    request = llm.received[0]
    assert request["model"] == "gpt-4o-mini" and llm.authorizations == ["Bearer sk-test"]
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["strict"] is True
    assert request["response_format"]["json_schema"]["schema"] == content_schema(2)
    assert request["messages"] == GenerationAttempt.objects.get(order=order).request["messages"]
    assert "Vais-je changer de voie ?" in request["messages"][1]["content"]
    run = order.ai_runs.get()
    assert (run.backend, run.model, run.prompt_tokens, run.completion_tokens) == ("openai", "gpt-4o-mini", 1800, 3200)
    assert run.outcome == AIRunOutcome.SUCCEEDED and run.latency_ms is not None
    # 1,800 × 0.14 + 3,200 × 0.55 per million tokens (LLM_PRICES)
    assert run.cost_eur == Decimal("0.002012")


@pytest.mark.django_db
@pytest.mark.parametrize(("answer", "reason"), [
    ("bad_json", "pas du JSON valide"), ("invalid_schema", "contenu invalide : (racine): 'archetype' is a required property"),
])
def test_invalid_answers_are_retried_then_dead_lettered_with_the_reason(
    llm, order, answer, reason, django_capture_on_commit_callbacks
):
    llm.script = [answer] * 3

    send(order, django_capture_on_commit_callbacks)

    assert len(llm.received) == 3  # GENERATION_MAX_ATTEMPTS
    assert order.status == OrderStatus.PAID and reason in order.last_error
    letter = DeadLetter.objects.get(order=order)
    assert (letter.reason, letter.tries) == (DeadLetterReason.RETRIES_EXHAUSTED, 3) and reason in letter.error
    assert GenerationAttempt.objects.get(order=order).outcome == AttemptOutcome.DEAD
    assert runs(order) == [("openai", "gpt-4o-mini", AIRunOutcome.INVALID)] * 3
    assert not order.versions.exists()


@pytest.mark.django_db
def test_an_invalid_answer_then_a_valid_one_gives_a_version_on_the_second_try(
    llm, order, django_capture_on_commit_callbacks
):
    llm.script = ["invalid_schema", "valid"]

    send(order, django_capture_on_commit_callbacks)

    assert order.status == OrderStatus.AWAITING_VALIDATION and order.last_error == ""
    assert [outcome for *_, outcome in runs(order)] == [AIRunOutcome.INVALID, AIRunOutcome.SUCCEEDED]
    assert GenerationAttempt.objects.get(order=order).sends == 2


@pytest.mark.django_db
@pytest.mark.parametrize(("failure", "message"), [("slow", "n'a pas répondu dans les 0.5 s"), (500, "a répondu 500")])
def test_a_slow_or_failing_model_is_retried_and_the_retry_succeeds(
    llm, order, failure, message, django_capture_on_commit_callbacks
):
    llm.script = [failure, "valid"]

    send(order, django_capture_on_commit_callbacks)

    assert order.status == OrderStatus.AWAITING_VALIDATION
    first, second = order.ai_runs.order_by("created_at", "id")
    assert (first.outcome, second.outcome) == (AIRunOutcome.FAILED, AIRunOutcome.SUCCEEDED)
    assert message in first.error and first.prompt_tokens is None


@pytest.mark.django_db
def test_while_the_next_try_waits_the_expert_sees_its_number_and_the_last_error(
    llm, order, expert_api, monkeypatch, django_capture_on_commit_callbacks
):
    llm.script = [500, "valid"]
    seen = []
    write = openai_api.write

    def write_and_look(**kwargs):
        if llm.received:  # the first try failed: what the API (and the desk) shows before the second one
            seen.append(expert_api.get(f"/api/expert/orders/{order.pk}").json()["order"])
        return write(**kwargs)

    monkeypatch.setattr(openai_api, "write", write_and_look)
    send(order, django_capture_on_commit_callbacks)

    assert seen[0]["status"] == "processing" and seen[0]["lastError"] == "tentative 2/3 — le modèle a répondu 500"
    assert {key: seen[0]["attempt"][key] for key in ("number", "max", "retrying")} == {"number": 2, "max": 3, "retrying": True}
    assert order.status == OrderStatus.AWAITING_VALIDATION and order.last_error == ""


@pytest.mark.django_db
def test_a_model_that_times_out_every_time_is_dead_lettered(llm, order, django_capture_on_commit_callbacks):
    llm.script = ["slow"] * 3

    send(order, django_capture_on_commit_callbacks)

    assert order.status == OrderStatus.PAID
    assert "le modèle n'a pas répondu" in DeadLetter.objects.get(order=order).error


@pytest.mark.django_db
def test_a_server_refusing_json_schema_is_asked_again_in_json_mode_with_the_schema(
    llm, order, django_capture_on_commit_callbacks
):
    llm.refuse_json_schema = True

    send(order, django_capture_on_commit_callbacks)

    assert order.status == OrderStatus.AWAITING_VALIDATION
    assert [request["response_format"]["type"] for request in llm.received] == ["json_schema", "json_object"]
    note = llm.received[1]["messages"][-1]
    assert note["role"] == "system" and json.dumps(content_schema(2), ensure_ascii=False) in note["content"]
    assert order.ai_runs.get().outcome == AIRunOutcome.SUCCEEDED


@pytest.mark.django_db
def test_a_refused_key_is_not_retried(llm, order, django_capture_on_commit_callbacks):
    llm.script = [401]

    send(order, django_capture_on_commit_callbacks)

    assert len(llm.received) == 1 and order.status == OrderStatus.PAID
    assert DeadLetter.objects.get(order=order).reason == DeadLetterReason.REFUSED
