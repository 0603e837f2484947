"""The generation task against a real HTTP server standing in for n8n (tasks run eagerly here; the Celery
worker tests run the same code through Redis)."""

import json
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from engine.schema import SECTIONS_BY_LEVEL, content_schema, reading_word_count, validate_content
from experts import generation, sweep
from experts.models import AIRun, AIRunOutcome, AttemptOutcome, DeadLetter, DeadLetterReason, DeadLetterStatus, GenerationAttempt
from experts.services import content_validate, generation_start
from experts.tasks import generation_request
from experts.writers import local
from orders.models import OrderStatus
from orders.services import order_refresh_chart, order_refund, order_start_generation
from tests.experts.helpers import in_validation, processing
from tests.factories import paid_order


def send(order, django_capture_on_commit_callbacks, prompt="Une lecture.") -> None:
    with django_capture_on_commit_callbacks(execute=True):
        generation_start(order_id=order.pk, expert=order.expert, prompt=prompt, instructions="Doux")
    order.refresh_from_db()


@pytest.mark.django_db
def test_the_request_to_n8n_is_signed_and_carries_the_spec_payload(n8n, expert, django_capture_on_commit_callbacks):
    order = paid_order(expert=expert, level=3, service="vip", birth_place="Nantes", question="Et maintenant ?",
                       objective="Changer de voie", birth_time="07:15", client_name="Camille Durand-Lefort")
    order.birth_date = timezone.datetime(1988, 2, 29).date()
    order.save()

    send(order, django_capture_on_commit_callbacks)

    assert n8n.bad_signatures == 0 and len(n8n.received) == 1
    payload = n8n.received[0]
    assert set(payload) == {
        "orderId", "orderNumber", "attemptId", "level", "service", "duration", "language", "messages",
        "responseSchema", "targetWords", "callbackUrl",
    }
    assert payload["orderId"] == str(order.pk) and payload["attemptId"] == str(order.generation_attempt_id)
    assert (payload["level"], payload["service"], payload["duration"], payload["language"]) == (
        "alchimique", "vip", 90, "fr"
    )
    assert payload["targetWords"] == 2250 and payload["responseSchema"] == content_schema(3)
    assert [message["role"] for message in payload["messages"]] == ["system", "user"]
    user = payload["messages"][1]["content"]
    assert all(text in user for text in ("Camille", "29/02/1988", "07:15", "Nantes", "Et maintenant ?", "Changer de voie",
                                         "Une lecture.", "Doux", "2250 mots"))
    body = json.dumps(payload, ensure_ascii=False)
    assert "Durand" not in body and order.client_email not in body and order.client_phone not in body
    assert payload["callbackUrl"] == "http://127.0.0.1:8000/api/expert/n8n-callback"
    assert order.status == OrderStatus.PROCESSING  # until n8n calls back
    # What was sent is kept with the attempt (encrypted), and the send is an AI run.
    attempt = GenerationAttempt.objects.get(order=order)
    assert attempt.request["messages"] == payload["messages"]
    assert list(AIRun.objects.filter(order=order).values_list("backend", "outcome")) == [("n8n", AIRunOutcome.SENT)]


@pytest.mark.django_db
def test_a_revision_request_carries_the_reason_the_notes_and_the_previous_version(
    n8n, expert, django_capture_on_commit_callbacks
):
    order = in_validation(expert)
    previous = order.generated_content

    with django_capture_on_commit_callbacks(execute=True):
        content_validate(order_id=order.pk, expert=expert, action="reject", reason="Trop court", notes="Développer le rituel")

    messages = n8n.received[-1]["messages"]
    assert [message["role"] for message in messages] == ["system", "user", "assistant", "user"]
    assert json.loads(messages[2]["content"]) == previous
    assert "Trop court" in messages[3]["content"] and "Développer le rituel" in messages[3]["content"]
    assert "SANS les citer" in messages[3]["content"]


@pytest.mark.django_db
def test_n8n_answering_500_is_retried_until_it_accepts(n8n, expert, django_capture_on_commit_callbacks):
    n8n.script = [500, 503]
    order = paid_order(expert=expert)

    send(order, django_capture_on_commit_callbacks)

    attempt = GenerationAttempt.objects.get(order=order)
    assert len(n8n.received) == 3
    assert {request["attemptId"] for request in n8n.received} == {str(attempt.pk)}  # the same attempt each time
    assert (attempt.sends, attempt.outcome, attempt.last_error) == (3, AttemptOutcome.PENDING, "")
    assert order.status == OrderStatus.PROCESSING
    assert not DeadLetter.objects.exists()


@pytest.mark.django_db
def test_a_timeout_is_retried(n8n, expert, django_capture_on_commit_callbacks):
    n8n.script = ["timeout"]
    order = paid_order(expert=expert)

    send(order, django_capture_on_commit_callbacks)

    assert GenerationAttempt.objects.get(order=order).sends == 2
    assert not DeadLetter.objects.exists()


@pytest.mark.django_db
def test_n8n_down_for_good_gives_a_dead_letter_and_the_order_back_in_the_queue(n8n, expert, django_capture_on_commit_callbacks):
    n8n.stop()
    order = paid_order(expert=expert)

    send(order, django_capture_on_commit_callbacks)

    assert order.status == OrderStatus.PAID
    assert order.last_error.startswith("La génération a échoué après 3 essai(s) : n8n injoignable")
    letter = DeadLetter.objects.get(order=order)
    assert (letter.reason, letter.tries, letter.status) == (DeadLetterReason.RETRIES_EXHAUSTED, 3, DeadLetterStatus.PENDING)
    assert letter.payload["orderNumber"] == order.number
    assert GenerationAttempt.objects.get(order=order).outcome == AttemptOutcome.DEAD
    assert [event for event in order.events.values_list("action", flat=True)][-2:] == ["generation_started", "generation_failed"]


@pytest.mark.django_db
def test_replaying_the_dead_letter_sends_the_order_once_n8n_is_back(n8n, expert, django_capture_on_commit_callbacks):
    n8n.stop()
    order = paid_order(expert=expert)
    send(order, django_capture_on_commit_callbacks)
    n8n.start()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("replay_dead_letters", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("replay_dead_letters", verbosity=0)  # nothing left: nothing sent twice

    order.refresh_from_db()
    assert order.status == OrderStatus.PROCESSING and order.last_error == ""
    assert len(n8n.received) == 1 and n8n.received[0]["attemptId"] == str(order.generation_attempt_id)
    assert DeadLetter.objects.get(order=order).status == DeadLetterStatus.REPLAYED
    assert GenerationAttempt.objects.filter(order=order).count() == 2


@pytest.mark.django_db
def test_a_4xx_from_n8n_is_not_retried(n8n, expert, django_capture_on_commit_callbacks):
    n8n.script = [404]
    order = paid_order(expert=expert)

    send(order, django_capture_on_commit_callbacks)

    assert len(n8n.received) == 1
    assert order.status == OrderStatus.PAID
    assert DeadLetter.objects.get(order=order).reason == DeadLetterReason.REFUSED


@pytest.mark.django_db
def test_a_wrong_webhook_secret_is_refused_by_n8n_and_dead_lettered(n8n, settings, expert, django_capture_on_commit_callbacks):
    settings.N8N_WEBHOOK_SECRET = "not-what-n8n-expects"
    order = paid_order(expert=expert)

    send(order, django_capture_on_commit_callbacks)

    assert n8n.bad_signatures == 1 and n8n.received == []
    assert DeadLetter.objects.get(order=order).error == "n8n a refusé la requête (401)"


@pytest.mark.django_db
def test_a_task_for_an_attempt_that_is_no_longer_current_sends_nothing(n8n, expert):
    order = in_validation(expert)
    old_attempt = order.generation_attempt_id

    assert generation_request.delay(str(order.pk), str(old_attempt)).get() == "obsolete"
    assert generation_request.delay(str(order.pk), str(uuid.uuid4())).get() == "obsolete"
    assert n8n.received == []


@pytest.mark.django_db
def test_a_dead_letter_arriving_after_the_content_changes_nothing(expert):
    order = in_validation(expert)
    letter = generation.generation_dead_letter(
        order_id=order.pk, attempt_id=order.generation_attempt_id, reason=DeadLetterReason.RETRIES_EXHAUSTED,
        error="late", tries=3, task="t",
    )
    order.refresh_from_db()
    assert letter is None and order.status == OrderStatus.AWAITING_VALIDATION and not DeadLetter.objects.exists()


def test_backoff_grows_exponentially_with_jitter_and_a_cap(settings):
    settings.GENERATION_RETRY_BACKOFF_SECONDS = 10
    settings.GENERATION_RETRY_BACKOFF_MAX_SECONDS = 60
    delays = {retries: [generation.retry_delay(retries) for _ in range(50)] for retries in range(5)}

    assert all(5 <= d <= 10 for d in delays[0]) and all(10 <= d <= 20 for d in delays[1])
    assert all(30 <= d <= 60 for d in delays[3] + delays[4])  # capped
    assert len({round(d, 3) for d in delays[1]}) > 10  # jittered


# --- the stuck-processing sweep ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_sweep_resends_an_attempt_past_its_deadline(n8n, expert, django_capture_on_commit_callbacks):
    order = processing(expert)  # attempt recorded, never sent (e.g. the broker was down at commit)
    later = timezone.now() + timedelta(minutes=31)

    with django_capture_on_commit_callbacks(execute=True):
        counts = sweep.generation_sweep_stuck(now=later)

    attempt = GenerationAttempt.objects.get(order=order)
    assert counts["resent"] == 1
    assert [request["attemptId"] for request in n8n.received] == [str(attempt.pk)]
    assert attempt.resends == 1 and attempt.deadline_at > later
    assert sweep.generation_sweep_stuck(now=later)["resent"] == 0  # new deadline not reached


@pytest.mark.django_db
def test_the_sweep_gives_up_after_the_allowed_resends(settings, expert, django_capture_on_commit_callbacks):
    settings.GENERATION_SWEEP_MAX_RESENDS = 1
    order = processing(expert)
    GenerationAttempt.objects.filter(order=order).update(resends=1, deadline_at=timezone.now() - timedelta(minutes=1))

    out = StringIO()
    call_command("sweep_stuck_generations", stdout=out)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and "Aucune réponse" in order.last_error
    assert DeadLetter.objects.get(order=order).reason == DeadLetterReason.NO_ANSWER
    assert GenerationAttempt.objects.get(order=order).outcome == AttemptOutcome.DEAD
    assert "1 en lettre morte" in out.getvalue()


@pytest.mark.django_db
def test_the_sweep_ignores_answered_attempts_and_closes_obsolete_ones(expert):
    answered = in_validation(expert)
    moved_on = processing(expert)
    order_refund(order_id=moved_on.pk)
    GenerationAttempt.objects.update(deadline_at=timezone.now() - timedelta(minutes=1))

    counts = sweep.generation_sweep_stuck()

    assert counts == {"resent": 0, "dead_lettered": 0, "obsolete": 1, "skipped": 0}
    answered.refresh_from_db()
    assert answered.status == OrderStatus.AWAITING_VALIDATION


# --- the local writer (engine.composer) ---------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("level", [1, 2, 3, 4])
@pytest.mark.parametrize(("service", "words"), [("basic", 750), ("premium", 1500), ("vip", 2250)])
def test_the_local_writer_writes_valid_content_for_every_level_and_tier(level, service, words):
    order = paid_order(level=level, service=service, question="Quel chemin ?")

    content = local.write(order=order, attempt=None, request=None).content

    assert validate_content(content, level=level, duration_minutes=order.duration) == []
    assert set(content) == set(SECTIONS_BY_LEVEL[level])
    assert words * 0.8 <= reading_word_count(content) <= words * 1.3
    assert order.client_first_name in content["reading"]["intro"]


@pytest.mark.django_db
def test_the_local_archetype_is_the_birth_card_of_the_chart():
    order = paid_order(level=3, service="basic", birth_date=timezone.datetime(1990, 4, 12).date())
    order_refresh_chart(order_id=order.pk)
    order.refresh_from_db()
    assert order.chart["tarot"][0]["number"] == 8  # 12 + 4 + 1990 = 2006 → 8

    archetype = local.write(order=order, attempt=None, request=None).content["archetype"]

    assert "Justice" in archetype["name"]


@pytest.mark.django_db
def test_a_local_revision_differs_and_answers_the_rejection_without_quoting_it(expert, django_capture_on_commit_callbacks):
    order = in_validation(expert, level=2, service="basic")
    first = local.write(order=order, attempt=None, request=None).content

    with django_capture_on_commit_callbacks(execute=True):
        content_validate(order_id=order.pk, expert=expert, action="reject", reason="Parler davantage du travail")

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_VALIDATION
    assert order.generated_content["reading"] != first["reading"]
    assert order.generated_content["reading"]["sections"][0]["title"] == "Votre vocation et votre travail"
    assert "Parler davantage du travail" not in json.dumps(order.generated_content, ensure_ascii=False)
    run = AIRun.objects.filter(order=order).first()  # the latest
    assert (run.backend, run.model, run.cost_eur, run.outcome) == ("local", "local", 0, AIRunOutcome.SUCCEEDED)
    assert run.latency_ms is not None


@pytest.mark.django_db
def test_the_sweep_also_finds_orders_sent_to_generation_without_an_attempt_record(
    expert, django_capture_on_commit_callbacks
):
    order = order_start_generation(order_id=paid_order().pk, expert=expert, prompt="p").order  # no attempt row
    later = timezone.now() + timedelta(minutes=31)

    with django_capture_on_commit_callbacks(execute=True):
        counts = sweep.generation_sweep_stuck(now=later)

    order.refresh_from_db()
    assert counts["resent"] == 1
    assert order.status == OrderStatus.AWAITING_VALIDATION  # resent to the local generator, which answered
    assert GenerationAttempt.objects.get(pk=order.generation_attempt_id).outcome == AttemptOutcome.DELIVERED
