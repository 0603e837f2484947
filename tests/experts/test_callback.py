"""The signed n8n callback (SPEC §4, §9): what it accepts, and every way it refuses without changing anything."""

import json
import time
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from experts.models import AIRunOutcome, DeadLetter, DeadLetterReason, GenerationAttempt
from experts.services import content_validate
from orders.models import ContentVersion, OrderStatus
from orders.services import order_refund
from tests.experts.helpers import (
    CONTENT,
    callback_post,
    in_validation,
    processing,
    signed_callback,
    signed_success,
    success_body,
)
from tests.factories import paid_order


def snapshot(order) -> tuple:
    order.refresh_from_db()
    return (order.status, order.revision_count, order.last_error, order.events.count(),
            ContentVersion.objects.filter(order=order).count(), DeadLetter.objects.filter(order=order).count())


def assert_refused(response, status: int, order, before: tuple, code: str | None = None) -> None:
    """The callback was refused with `status` (and the error `code`, when given), and the order is as `before`."""
    assert response.status_code == status
    if code is not None:
        assert response.json()["error"]["code"] == code
    assert snapshot(order) == before


@pytest.mark.django_db
def test_content_for_the_current_attempt_is_stored_and_the_order_awaits_validation(expert):
    order = processing(expert)

    response = signed_callback(Client(), success_body(order))

    assert response.status_code == 200
    assert response.json() == {"status": "content_received"}
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_VALIDATION
    assert order.generated_content == CONTENT
    assert ContentVersion.objects.get(order=order).attempt_id == order.generation_attempt_id
    assert GenerationAttempt.objects.get(pk=order.generation_attempt_id).answered_at is not None


@pytest.mark.django_db
def test_a_bad_signature_is_a_401_and_changes_nothing(expert):
    order = processing(expert)
    before = snapshot(order)

    response = signed_callback(Client(), success_body(order), secret="not-the-secret")

    assert_refused(response, 401, order, before, code="bad_signature")


@pytest.mark.django_db
def test_missing_signature_headers_are_a_401(expert):
    order = processing(expert)
    before = snapshot(order)

    response = Client().post("/api/expert/n8n-callback", data=success_body(order), content_type="application/json")

    assert_refused(response, 401, order, before)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("timestamp", "forge"),
    [
        (None, lambda good: "é" * 64),
        (None, lambda good: good[:-1] + "ü"),  # the right signature with its last character made non-ASCII
        # Every character of the signature counts, the last one too (not a prefix comparison).
        (None, lambda good: good[:-1] + ("0" if good[-1] != "0" else "1")),
        ("١٧٠٠٠٠٠٠٠٠", None),  # Arabic-Indic digits pass str.isdigit()
        ("²", None),
        (None, lambda good: "not hex at all"),
    ],
    ids=["all-non-ascii", "last-char-non-ascii", "last-hex-digit-changed", "non-ascii-digits-timestamp",
         "superscript-timestamp", "not-hex"],
)
def test_a_wrong_or_malformed_signature_or_timestamp_is_a_401_never_a_500(expert, timestamp, forge):
    order = processing(expert)
    before = snapshot(order)
    body, good_timestamp, good_signature = signed_success(order)
    signature = forge(good_signature) if forge else good_signature

    response = callback_post(Client(), body, timestamp=timestamp or good_timestamp, signature=signature)

    assert_refused(response, 401, order, before, code="bad_signature")


@pytest.mark.django_db
def test_the_signature_must_cover_the_whole_body(expert):
    """A body changed after signing (here: other content) does not match its signature."""
    order = processing(expert)
    before = snapshot(order)
    _, timestamp, signature = signed_success(order)
    tampered = json.dumps(success_body(order, content={**CONTENT, "reading": "Autre chose."})).encode()

    response = callback_post(Client(), tampered, timestamp=timestamp, signature=signature)

    assert_refused(response, 401, order, before)


@pytest.mark.django_db
def test_the_signature_covers_the_timestamp(expert):
    order = processing(expert)
    body, timestamp, signature = signed_success(order)

    later = str(int(timestamp) + 1)
    response = callback_post(Client(), body, timestamp=later, signature=signature)

    assert response.status_code == 401


@pytest.mark.django_db
# A margin of a minute past the 5-minute limit: the test must not depend on how fast the request runs.
@pytest.mark.parametrize("age", [360, -360], ids=["six-minutes-old", "from-the-future"])
def test_a_timestamp_outside_five_minutes_is_refused(expert, age):
    order = processing(expert)
    before = snapshot(order)

    response = signed_callback(Client(), success_body(order), timestamp=time.time() - age)

    assert_refused(response, 400, order, before, code="stale_timestamp")


@pytest.mark.django_db
def test_a_replayed_callback_is_a_409_and_stores_nothing_more(expert):
    order = processing(expert)
    body, timestamp, signature = signed_success(order)
    send = lambda: callback_post(Client(), body, timestamp=timestamp, signature=signature)  # noqa: E731
    assert send().status_code == 200
    after_first = snapshot(order)

    replay = send()

    assert_refused(replay, 409, order, after_first, code="replayed")


@pytest.mark.django_db
def test_a_fresh_signature_does_not_make_a_replayed_attempt_acceptable(expert):
    order = processing(expert)
    signed_callback(Client(), success_body(order))
    after_first = snapshot(order)

    again = signed_callback(Client(), success_body(order, content={**CONTENT, "reading": "Deuxième envoi"}))

    assert_refused(again, 409, order, after_first)


@pytest.mark.django_db
def test_a_callback_for_an_old_attempt_is_a_409(expert, django_capture_on_commit_callbacks):
    order = in_validation(expert)
    old_attempt = order.generation_attempt_id
    content_validate(order_id=order.pk, expert=expert, action="reject", reason="Trop court")  # new attempt
    before = snapshot(order)

    response = signed_callback(Client(), success_body(order, attempt_id=old_attempt))

    assert_refused(response, 409, order, before)


@pytest.mark.django_db
def test_a_callback_with_an_unknown_attempt_id_is_a_409(expert):
    order = processing(expert)
    before = snapshot(order)
    response = signed_callback(Client(), success_body(order, attempt_id=uuid.uuid4()))
    assert_refused(response, 409, order, before, code="stale_attempt")


@pytest.mark.django_db
def test_a_callback_for_an_order_in_another_state_is_a_409(expert):
    order = processing(expert)
    attempt = order.generation_attempt_id
    order_refund(order_id=order.pk)
    before = snapshot(order)

    response = signed_callback(Client(), success_body(order, attempt_id=attempt))

    assert_refused(response, 409, order, before, code="invalid_transition")
    assert GenerationAttempt.objects.get(pk=attempt).answered_at is None


@pytest.mark.django_db
def test_a_callback_for_an_unknown_order_is_a_404():
    body = {"orderId": str(uuid.uuid4()), "attemptId": str(uuid.uuid4()), "success": True, "content": CONTENT}
    assert signed_callback(Client(), body).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", json.dumps({"orderId": "x", "success": True}).encode()],
    ids=["not-json", "not-an-object", "missing-fields"],
)
def test_a_malformed_signed_body_is_a_400(body):
    response = signed_callback(Client(), body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.django_db
def test_success_without_content_is_a_400(expert):
    order = processing(expert)
    body = {"orderId": str(order.pk), "attemptId": str(order.generation_attempt_id), "success": True}
    response = signed_callback(Client(), body)
    assert response.status_code == 400 and "content" in response.json()["error"]["fields"]
    assert snapshot(order)[0] == OrderStatus.PROCESSING


def failure_body(order, error: str = "OpenAI: quota dépassé") -> dict:
    return {"orderId": str(order.pk), "attemptId": str(order.generation_attempt_id), "success": False, "error": error}


@pytest.mark.django_db
def test_a_failure_n8n_reports_is_retried_and_the_expert_sees_the_next_try_and_why(
    n8n, expert, django_capture_on_commit_callbacks
):
    order = sent_once(expert)

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_callback(Client(), failure_body(order))

    assert response.status_code == 200 and response.json() == {"status": "failure_recorded"}
    order.refresh_from_db()
    assert order.status == OrderStatus.PROCESSING and not DeadLetter.objects.filter(order=order).exists()
    assert order.last_error == "tentative 2/3 — OpenAI: quota dépassé"
    assert order.ai_runs.filter(outcome=AIRunOutcome.FAILED).count() == 1
    assert [request["attemptId"] for request in n8n.received] == [str(order.generation_attempt_id)]  # sent again


@pytest.mark.django_db
def test_a_failure_on_the_last_try_puts_the_order_back_in_the_queue_with_a_dead_letter(n8n, expert):
    order = processing(expert)
    GenerationAttempt.objects.filter(pk=order.generation_attempt_id).update(sends=3)  # GENERATION_MAX_ATTEMPTS

    body = failure_body(order)

    response = signed_callback(Client(), body)

    assert response.status_code == 200 and response.json() == {"status": "failure_recorded"}
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert "quota dépassé" in order.last_error
    letter = DeadLetter.objects.get(order=order)
    assert letter.reason == DeadLetterReason.GENERATOR_FAILURE and letter.status == "pending" and letter.tries == 3
    assert "client" not in letter.payload  # no personal data in dead letters
    assert GenerationAttempt.objects.get(order=order).outcome == "failed"
    assert signed_callback(Client(), body).status_code == 409  # and not twice


@pytest.mark.django_db
def test_the_callback_answers_405_to_get():
    assert Client().get("/api/expert/n8n-callback").status_code == 405


@pytest.mark.django_db
def test_a_callback_for_a_paid_order_is_a_409(expert):
    order = paid_order(expert=expert)
    response = signed_callback(Client(), success_body(order, attempt_id=uuid.uuid4()))
    assert response.status_code == 409


# --- content that does not match the level's schema (SPEC §9: 422, the attempt failed and is retried) ------

INVALID = {**CONTENT, "reading": {"intro": "Trop court.", "sections": [{"title": "A", "body": "B"}], "closing": "C"}}


def sent_once(expert):
    order = processing(expert)
    GenerationAttempt.objects.filter(pk=order.generation_attempt_id).update(sends=1)  # n8n got the first try
    return order


@pytest.mark.django_db
def test_invalid_content_is_a_422_with_the_reasons_and_the_expert_sees_the_next_try_and_why(n8n, expert, expert_api):
    order = sent_once(expert)
    usage = {"model": "gpt-4o-mini", "promptTokens": 900, "completionTokens": 40}

    response = signed_callback(Client(), {**success_body(order, content=INVALID), "usage": usage})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_content" and "en dessous du minimum" in error["fields"]["content"][0]
    order.refresh_from_db()
    assert order.status == OrderStatus.PROCESSING and not order.versions.exists()
    assert order.last_error.startswith("tentative 2/3 — contenu invalide : reading: 4 mots")
    run = order.ai_runs.get(outcome=AIRunOutcome.INVALID)
    assert (run.model, run.prompt_tokens, run.completion_tokens) == ("gpt-4o-mini", 900, 40) and run.cost_eur > 0
    # Which try comes next and why the previous one failed, on the API and on the desk; never an empty field.
    data = expert_api.get(f"/api/expert/orders/{order.pk}").json()["order"]
    assert (data["attempt"]["number"], data["attempt"]["max"], data["attempt"]["retrying"]) == (2, 3, True)
    assert data["attempt"]["lastError"].startswith("contenu invalide : reading: 4 mots")
    assert data["lastError"].startswith("tentative 2/3 — contenu invalide")
    desk = Client()
    desk.force_login(expert.user)
    page = desk.get(reverse("experts:order", args=[order.pk])).content.decode()
    assert "tentative 2/3 — contenu invalide" in page and "Génération en cours (tentative 2/3)" in page


@pytest.mark.django_db
def test_after_invalid_content_the_same_attempt_is_sent_again(n8n, expert, django_capture_on_commit_callbacks):
    order = sent_once(expert)

    with django_capture_on_commit_callbacks(execute=True):
        assert signed_callback(Client(), success_body(order, content=INVALID)).status_code == 422

    assert [request["attemptId"] for request in n8n.received] == [str(order.generation_attempt_id)]
    assert GenerationAttempt.objects.get(pk=order.generation_attempt_id).sends == 2
    assert signed_callback(Client(), success_body(order)).status_code == 200  # the second try's valid content


@pytest.mark.django_db
def test_invalid_content_on_the_last_try_is_dead_lettered_with_the_reason(n8n, expert):
    order = processing(expert)
    GenerationAttempt.objects.filter(pk=order.generation_attempt_id).update(sends=3)  # GENERATION_MAX_ATTEMPTS

    response = signed_callback(Client(), success_body(order, content={"title": "Sans le reste"}))

    assert response.status_code == 422
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and "contenu invalide" in order.last_error
    letter = DeadLetter.objects.get(order=order)
    assert letter.reason == DeadLetterReason.RETRIES_EXHAUSTED and "'archetype' is a required property" in letter.error
    attempt = GenerationAttempt.objects.get(order=order)
    assert attempt.outcome == "dead"
    assert signed_callback(Client(), success_body(order, attempt_id=attempt.pk)).status_code == 409  # that try is over


@pytest.mark.django_db
def test_the_usage_n8n_reports_is_recorded_with_its_estimated_cost(n8n, expert):
    order = processing(expert)
    body = {**success_body(order), "usage": {"model": "mistral-small-latest", "promptTokens": 2000, "completionTokens": 3000}}

    assert signed_callback(Client(), body).status_code == 200

    run = order.ai_runs.get()
    assert (run.backend, run.model, run.outcome) == ("n8n", "mistral-small-latest", AIRunOutcome.SUCCEEDED)
    assert (run.prompt_tokens, run.completion_tokens) == (2000, 3000)
    assert float(run.cost_eur) == pytest.approx((2000 * 0.09 + 3000 * 0.28) / 1e6)
