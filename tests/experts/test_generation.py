"""The generation task against a real HTTP server standing in for n8n (tasks run eagerly here; the Celery
worker tests run the same code through Redis)."""

import uuid
from datetime import timedelta
from io import StringIO
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.utils import timezone

from experts import generation, local_generator
from experts.models import AttemptOutcome, DeadLetter, DeadLetterReason, DeadLetterStatus, GenerationAttempt
from experts.services import content_validate, generation_start
from experts.tasks import generation_request
from orders.models import OrderStatus
from orders.services import order_refund, order_start_generation
from tests.experts.helpers import in_validation, processing
from tests.factories import paid_order


def send(order, django_capture_on_commit_callbacks, prompt="Une lecture.") -> None:
    with django_capture_on_commit_callbacks(execute=True):
        generation_start(order_id=order.pk, expert=order.expert, prompt=prompt, instructions="Doux")
    order.refresh_from_db()


@pytest.mark.django_db
def test_the_request_to_n8n_is_signed_and_carries_the_spec_payload(n8n, expert, django_capture_on_commit_callbacks):
    order = paid_order(expert=expert, level=3, service="vip", birth_place="Nantes", question="Et maintenant ?",
                       objective="Changer de voie", birth_time="07:15")
    order.birth_date = timezone.datetime(1988, 2, 29).date()
    order.save()

    send(order, django_capture_on_commit_callbacks)

    assert n8n.bad_signatures == 0 and len(n8n.received) == 1
    payload = n8n.received[0]
    assert set(payload) == {
        "orderId", "orderNumber", "attemptId", "level", "levelName", "service", "duration", "client", "expertPrompt",
        "expertInstructions", "expert", "revision", "callbackUrl",
    }
    assert payload["orderId"] == str(order.pk) and payload["attemptId"] == str(order.generation_attempt_id)
    assert (payload["level"], payload["levelName"], payload["service"], payload["duration"]) == (
        "alchimique", "Alchimique", "vip", 90
    )
    assert payload["client"] == {
        "firstName": "Camille", "lastName": order.client_last_name, "email": order.client_email,
        "birthDate": "1988-02-29", "birthTime": "07:15", "birthPlace": "Nantes", "question": "Et maintenant ?",
        "objective": "Changer de voie",
    }
    assert (payload["expertPrompt"], payload["expertInstructions"]) == ("Une lecture.", "Doux")
    assert payload["expert"] == {"id": expert.pk, "name": expert.name}
    assert payload["revision"] is None
    assert payload["callbackUrl"] == "http://127.0.0.1:8000/api/expert/n8n-callback"
    assert order.status == OrderStatus.PROCESSING  # until n8n calls back


@pytest.mark.django_db
def test_a_revision_request_carries_the_reason_the_notes_and_the_previous_version(
    n8n, expert, django_capture_on_commit_callbacks
):
    order = in_validation(expert)
    previous = order.generated_content

    with django_capture_on_commit_callbacks(execute=True):
        content_validate(order_id=order.pk, expert=expert, action="reject", reason="Trop court", notes="Développer le rituel")

    assert n8n.received[-1]["revision"] == {
        "number": 1, "rejectionReason": "Trop court", "validationNotes": "Développer le rituel", "previousContent": previous,
    }


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
        counts = generation.generation_sweep_stuck(now=later)

    attempt = GenerationAttempt.objects.get(order=order)
    assert counts["resent"] == 1
    assert [request["attemptId"] for request in n8n.received] == [str(attempt.pk)]
    assert attempt.resends == 1 and attempt.deadline_at > later
    assert generation.generation_sweep_stuck(now=later)["resent"] == 0  # new deadline not reached


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

    counts = generation.generation_sweep_stuck()

    assert counts == {"resent": 0, "dead_lettered": 0, "obsolete": 1, "skipped": 0}
    answered.refresh_from_db()
    assert answered.status == OrderStatus.AWAITING_VALIDATION


# --- the local generator ----------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize(
    ("level", "filled"),
    [(1, {"archetype", "reading"}), (2, {"archetype", "reading", "ritual"}),
     (3, {"archetype", "reading", "ritual", "mandalaSvg", "synthesis"}),
     (4, {"archetype", "reading", "ritual", "mandalaSvg", "synthesis", "guidance"})],
)
def test_the_local_generator_writes_the_parts_of_the_orders_level(level, filled):
    order = paid_order(level=level, service="basic", question="Quel chemin ?", birth_place="Brest")
    content = local_generator.compose_reading(order)
    assert {key for key, value in content.items() if value} == filled
    assert "Quel chemin ?" in content["reading"] and "Brest" in content["reading"]


@pytest.mark.django_db
def test_the_local_archetype_follows_the_birth_date_and_the_mandala_is_plain_svg():
    order = paid_order(level=3, service="basic")
    order.birth_date = timezone.datetime(1990, 4, 12).date()  # 1+2+0+4+1+9+9+0 = 26 → 8: La Justice
    content = local_generator.compose_reading(order)

    assert content["archetype"] == "La Justice"
    svg = ElementTree.fromstring(content["mandalaSvg"])
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert "script" not in content["mandalaSvg"].lower()


@pytest.mark.django_db
def test_a_local_revision_differs_and_answers_the_rejection(expert, django_capture_on_commit_callbacks):
    order = in_validation(expert, level=2, service="basic")
    first = local_generator.compose_reading(order)

    with django_capture_on_commit_callbacks(execute=True):
        content_validate(order_id=order.pk, expert=expert, action="reject", reason="Parler davantage du travail")

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_VALIDATION
    assert order.generated_content["reading"] != first["reading"]
    assert "Parler davantage du travail" in order.generated_content["reading"]


@pytest.mark.django_db
def test_the_sweep_also_finds_orders_sent_to_generation_without_an_attempt_record(
    expert, django_capture_on_commit_callbacks
):
    order = order_start_generation(order_id=paid_order().pk, expert=expert, prompt="p").order  # no attempt row
    later = timezone.now() + timedelta(minutes=31)

    with django_capture_on_commit_callbacks(execute=True):
        counts = generation.generation_sweep_stuck(now=later)

    order.refresh_from_db()
    assert counts["resent"] == 1
    assert order.status == OrderStatus.AWAITING_VALIDATION  # resent to the local generator, which answered
    assert GenerationAttempt.objects.get(pk=order.generation_attempt_id).outcome == AttemptOutcome.DELIVERED
