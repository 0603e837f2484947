"""The life of one generation attempt: sent to the generator, answered, retried, given up on.

Every write of the order itself (its status, its `last_error` while it waits) goes through `orders.services`;
this module keeps the attempt's own record (`GenerationAttempt`, the replay guard) and the dead letters in the
same transactions. Stuck attempts are swept by `sweep.py`.
Lock order, everywhere: the attempt row first, then the order row (taken inside `orders.services`).
"""

import logging
import random
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from kombu.exceptions import OperationalError as BrokerUnavailable

from engine.schema import validate_content
from orders.models import Order, OrderStatus
from orders.services import (
    InvalidContent,
    InvalidTransition,
    OrderServiceError,
    StaleGenerationAttempt,
    TransitionResult,
    order_generation_error_show,
    order_generation_failed,
    order_receive_content,
)

from .ai_runs import ai_run_from_callback, ai_run_record, configured_model
from .generation_request import generation_request_for
from .models import AIRunOutcome, AttemptOutcome, DeadLetter, DeadLetterReason, GenerationAttempt
from .writers import GenerationError, PermanentGenerationError, TransientGenerationError, Written, writer_for

logger = logging.getLogger(__name__)

GENERATION_TASK = "experts.generation_request"
# Shown to the expert (desk panel, API `lastError`) when the task queue refused the request. Stored as is (the
# English source) in `Order.last_error`, where it is compared; translated when shown (`last_error_display`).
QUEUE_UNAVAILABLE = gettext_noop(
    "Generation queue unavailable: the order stays “in progress” and will be sent automatically "
    "as soon as the service is back (sweep of stuck orders)."
)


def last_error_display(error: str) -> str:
    """An order's `last_error` as the expert reads it: QUEUE_UNAVAILABLE in the active language; the other
    errors are stored as written (the generator's and the workers', in French) and shown as they are."""
    return gettext(QUEUE_UNAVAILABLE) if error == QUEUE_UNAVAILABLE else error


__all__ = ["GenerationError", "PermanentGenerationError", "TransientGenerationError"]


class CallbackReplayed(OrderServiceError):
    code = "replayed"


def retry_delay(retries: int) -> float:
    """Exponential backoff with jitter: half of the step is fixed, half random, so that workers retrying
    after the same outage spread out instead of knocking together."""
    step = min(settings.GENERATION_RETRY_BACKOFF_MAX_SECONDS, settings.GENERATION_RETRY_BACKOFF_SECONDS * 2**retries)
    return step / 2 + random.uniform(0, step / 2)  # noqa: S311 - jitter, not cryptography


def attempt_deadline(now=None):
    return (now or timezone.now()) + timedelta(minutes=settings.GENERATION_DEADLINE_MINUTES)


def attempt_enqueue(order_id, attempt_id, *, previous_tries: int = 0, countdown: float = 0) -> bool:
    """Queue the attempt's task. False when the broker (Redis) is unreachable: the attempt is then made due
    at once, so the next sweep after the broker's return sends it, and the order says why it waits."""
    from .tasks import generation_request

    try:
        generation_request.apply_async((str(order_id), str(attempt_id), previous_tries), countdown=countdown or None)
    except (BrokerUnavailable, OSError) as error:
        logger.warning(
            "generation not queued: broker unavailable",
            extra={"order_id": str(order_id), "attempt_id": str(attempt_id), "error": str(error)},
        )
        generation_enqueue_failed(order_id=order_id, attempt_id=attempt_id, error=str(error))
        return False
    return True


def generation_enqueue_failed(*, order_id, attempt_id, error: str) -> None:
    """The task queue refused the attempt: due now for the sweep, and the order shows QUEUE_UNAVAILABLE."""
    with transaction.atomic():
        attempt = (
            GenerationAttempt.objects.select_for_update()
            .filter(pk=attempt_id, order_id=order_id, outcome=AttemptOutcome.PENDING).first()
        )
        if attempt is None:
            return
        attempt.deadline_at = timezone.now()
        attempt.last_error = f"file de tâches indisponible : {error}"[:2000]
        attempt.save(update_fields=["deadline_at", "last_error"])
        # Not a change of status (the order stays processing): only the message the desk and API show.
        order_generation_error_show(order_id=order_id, attempt_id=attempt_id, error=QUEUE_UNAVAILABLE)


def _send_after_commit(order: Order, attempt: GenerationAttempt) -> None:
    """Queue the attempt once the transaction commits; if the queue is down, `order.last_error` (in memory
    too, for the caller's answer) says so and the sweep takes over."""

    def send() -> None:
        if not attempt_enqueue(order.pk, attempt.pk):
            order.last_error = QUEUE_UNAVAILABLE

    transaction.on_commit(send, robust=True)


def attempt_open(order: Order) -> GenerationAttempt:
    """Record the order's new attempt and send it once the transaction commits.

    Call inside the transaction that gave the order its attempt id. If the broker is down at commit,
    the order stays `processing` with QUEUE_UNAVAILABLE as its last error, and the next sweep sends it.
    """
    attempt = GenerationAttempt.objects.create(
        id=order.generation_attempt_id,
        order=order,
        revision=order.revision_count,
        backend=settings.GENERATION_BACKEND,
        deadline_at=attempt_deadline(),
    )
    _send_after_commit(order, attempt)
    return attempt


def _summary(order: Order, attempt: GenerationAttempt | None) -> dict:
    """What a dead letter keeps of the request: identifiers only, no personal data."""
    return {
        "orderId": str(order.pk),
        "orderNumber": order.number,
        "attemptId": str(attempt.pk) if attempt else None,
        "revision": order.revision_count,
        "level": order.level_slug,
        "backend": attempt.backend if attempt else settings.GENERATION_BACKEND,
    }


def _lock_attempt(order_id, attempt_id) -> GenerationAttempt:
    attempt = GenerationAttempt.objects.select_for_update().filter(pk=attempt_id, order_id=order_id).first()
    if attempt is None:
        raise StaleGenerationAttempt(gettext("This callback is not about any known generation of this order."))
    return attempt


def _is_live(order: Order | None, attempt: GenerationAttempt | None) -> bool:
    return (
        order is not None
        and attempt is not None
        and attempt.outcome == AttemptOutcome.PENDING
        and order.status == OrderStatus.PROCESSING
        and order.generation_attempt_id == attempt.pk
    )


def _note_try(attempt_id, error: str = "") -> None:
    GenerationAttempt.objects.filter(pk=attempt_id).update(
        sends=F("sends") + 1, last_error=error[:2000], sent_at=timezone.now()
    )


def attempt_label(*, number: int, error: str) -> str:
    """What the desk and the API show while an attempt waits for its next try."""
    return f"tentative {number}/{settings.GENERATION_MAX_ATTEMPTS} — {error}"


def generation_retry_scheduled(*, order_id, attempt_id, next_try: int, error: str) -> None:
    """A try failed and another is coming: the order says which one and why (not a change of status)."""
    order_generation_error_show(
        order_id=order_id, attempt_id=attempt_id, error=attempt_label(number=next_try, error=error)[:2000]
    )


def _content_errors(written: Written, order: Order) -> list[str]:
    if written.parse_error:
        return [written.parse_error]
    return validate_content(written.content, level=order.level, duration_minutes=order.duration)


def _invalid_message(reasons: list[str]) -> str:
    return "contenu invalide : " + " ; ".join(reasons[:3])


def generation_send(*, order_id, attempt_id) -> str:
    """Send one attempt to its writer. Returns what happened; raises GenerationError when it failed
    (invalid content included: a TransientGenerationError, retried like a 5xx).

    An attempt that is no longer the order's current one (answered, replaced, order moved on) is skipped,
    so a message delivered twice by the broker does no harm.
    """
    order = Order.objects.select_related("expert").filter(pk=order_id).first()
    attempt = GenerationAttempt.objects.filter(pk=attempt_id).first()
    if not _is_live(order, attempt):
        return "obsolete"
    request = generation_request_for(order)
    attempt.request = request.as_json()
    attempt.save(update_fields=["request"])
    started = time.monotonic()
    try:
        written = writer_for(attempt.backend).write(order=order, attempt=attempt, request=request)
    except GenerationError as error:
        ai_run_record(attempt, outcome=AIRunOutcome.FAILED, started=started, model=configured_model(attempt.backend),
                    error=str(error))
        _note_try(attempt.pk, str(error))
        raise
    if written is None:  # n8n: the content comes with the signed callback
        ai_run_record(attempt, outcome=AIRunOutcome.SENT, started=started)
        _note_try(attempt.pk)
        return "sent"
    reasons = _content_errors(written, order)
    ai_run_record(
        attempt, outcome=AIRunOutcome.INVALID if reasons else AIRunOutcome.SUCCEEDED, started=started,
        model=written.model, prompt_tokens=written.prompt_tokens, completion_tokens=written.completion_tokens,
        error=" ; ".join(reasons),
    )
    if reasons:
        _note_try(attempt.pk, _invalid_message(reasons))
        raise TransientGenerationError(_invalid_message(reasons))
    _note_try(attempt.pk)
    try:
        generation_deliver(order_id=order.pk, attempt_id=attempt.pk, content=written.content)
    except OrderServiceError:
        return "obsolete"  # answered or replaced between the check and the delivery
    return "delivered"


def generation_callback_content(*, order_id, attempt_id, content: object, usage: dict | None = None) -> TransitionResult:
    """n8n's content for an attempt: a version when it matches the level's schema and length; otherwise
    the try failed (InvalidContent, the callback answers 422) and is retried, or dead-lettered at the end."""
    order = Order.objects.only("level", "duration").get(pk=order_id)
    reasons = validate_content(content, level=order.level, duration_minutes=order.duration)
    if reasons:
        _callback_invalid(order_id=order_id, attempt_id=attempt_id, reasons=reasons, usage=usage)
        raise InvalidContent(reasons)
    with transaction.atomic():
        result = generation_deliver(order_id=order_id, attempt_id=attempt_id, content=content)
        ai_run_from_callback(_lock_attempt(order_id, attempt_id), usage, outcome=AIRunOutcome.SUCCEEDED)
        return result


def _callback_invalid(*, order_id, attempt_id, reasons: list[str], usage: dict | None) -> None:
    _callback_failed_try(
        order_id=order_id, attempt_id=attempt_id, error=_invalid_message(reasons), usage=usage,
        run_outcome=AIRunOutcome.INVALID, run_error=" ; ".join(reasons),
        attempt_outcome=AttemptOutcome.DEAD, dead_reason=DeadLetterReason.RETRIES_EXHAUSTED,
    )


def _callback_failed_try(*, order_id, attempt_id, error: str, usage: dict | None, run_outcome: str, run_error: str,
                         attempt_outcome: str, dead_reason: str) -> TransitionResult | None:
    """A try n8n answered without usable content (invalid content, or a model error, timeout or unusable answer
    it reported): retried with backoff like a 5xx (SPEC §4), dead-lettered after the last try."""
    with transaction.atomic():
        attempt = _lock_attempt(order_id, attempt_id)
        if attempt.answered_at is not None:
            raise CallbackReplayed(gettext("This callback was already received for this attempt."))
        order = Order.objects.get(pk=order_id)
        if not _is_live(order, attempt):
            raise StaleGenerationAttempt(gettext("This callback is not about the current generation."))
        ai_run_from_callback(attempt, usage, outcome=run_outcome, error=run_error)
        tries = max(attempt.sends, 1)  # the request reached n8n at least once, since it answered
        result = None
        if tries >= settings.GENERATION_MAX_ATTEMPTS:
            result, _ = attempt_give_up(order, attempt, reason=dead_reason, error=error, task="n8n-callback", tries=tries)
            attempt.outcome, attempt.answered_at = attempt_outcome, timezone.now()
        else:
            generation_retry_scheduled(order_id=order_id, attempt_id=attempt_id, next_try=tries + 1, error=error)
            delay = retry_delay(tries - 1)
            transaction.on_commit(
                lambda: attempt_enqueue(order_id, attempt_id, previous_tries=tries, countdown=delay), robust=True
            )
        attempt.last_error = error[:2000]
        attempt.save(update_fields=["outcome", "answered_at", "last_error"])
        return result


def generation_deliver(*, order_id, attempt_id, content: dict) -> TransitionResult:
    """Validated content for an attempt (n8n callback, openai or local writer): a new version, the
    order awaits validation. Refused for an unknown, old or already answered attempt, or an order that is
    not `processing`; nothing is written then."""
    with transaction.atomic():
        attempt = _lock_attempt(order_id, attempt_id)
        if attempt.answered_at is not None:
            raise CallbackReplayed(gettext("This callback was already received for this attempt."))
        result = order_receive_content(order_id=order_id, attempt_id=attempt_id, content=content)
        attempt.answered_at = timezone.now()
        attempt.outcome = AttemptOutcome.DELIVERED
        attempt.save(update_fields=["answered_at", "outcome"])
        order = result.order
        if result.changed and order.revision_count > 0 and order.expert_id:
            from .tasks import revision_ready_email

            revision = order.revision_count
            transaction.on_commit(lambda: revision_ready_email.delay(str(order.pk), revision), robust=True)
        return result


def attempt_give_up(
    order: Order, attempt: GenerationAttempt, *, reason: str, error: str, task: str, tries: int
) -> tuple[TransitionResult, DeadLetter]:
    """Order back in the queue with its error, and a dead letter for staff. Caller holds the attempt lock."""
    labels = {
        DeadLetterReason.RETRIES_EXHAUSTED: f"La génération a échoué après {tries} essai(s) : {error}",
        DeadLetterReason.REFUSED: f"La génération a été refusée : {error}",
        DeadLetterReason.GENERATOR_FAILURE: f"Le générateur a signalé un échec : {error}",
        DeadLetterReason.NO_ANSWER: f"Aucune réponse du générateur dans le délai : {error}",
    }
    result = order_generation_failed(order_id=order.pk, attempt_id=attempt.pk, error=labels[reason])
    letter = DeadLetter.objects.create(
        order=order, attempt=attempt, task=task, reason=reason, error=error, tries=tries,
        payload=_summary(order, attempt),
    )
    return result, letter


def generation_fail(*, order_id, attempt_id, error: str, usage: dict | None = None) -> TransitionResult | None:
    """The generator reported a failure for an attempt (model error, timeout, unusable answer): a failed try,
    retried like invalid content; after the last one, a dead letter and the order back in the queue."""
    return _callback_failed_try(
        order_id=order_id, attempt_id=attempt_id, error=(error or "erreur non précisée").strip()[:2000], usage=usage,
        run_outcome=AIRunOutcome.FAILED, run_error=(error or "").strip()[:2000],
        attempt_outcome=AttemptOutcome.FAILED, dead_reason=DeadLetterReason.GENERATOR_FAILURE,
    )


def generation_dead_letter(*, order_id, attempt_id, reason: str, error: str, tries: int, task: str) -> DeadLetter | None:
    """Sending finally failed. Nothing happens if the attempt was answered or replaced meanwhile."""
    with transaction.atomic():
        attempt = GenerationAttempt.objects.select_for_update().filter(pk=attempt_id, order_id=order_id).first()
        if attempt is None or attempt.outcome != AttemptOutcome.PENDING:
            return None
        order = Order.objects.get(pk=order_id)
        try:
            _, letter = attempt_give_up(order, attempt, reason=reason, error=error, task=task, tries=tries)
        except (InvalidTransition, StaleGenerationAttempt):
            attempt.outcome = AttemptOutcome.OBSOLETE
            attempt.save(update_fields=["outcome"])
            return None
        attempt.outcome = AttemptOutcome.DEAD
        attempt.last_error = error[:2000]
        attempt.save(update_fields=["outcome", "last_error"])
    logger.warning("generation dead-lettered", extra={"order_id": str(order_id), "reason": reason, "error": error})
    return letter


def attempt_adopt(order: Order, *, deadline_at) -> GenerationAttempt:
    """The attempt record of an order in generation that has none (sent without `attempt_open`)."""
    attempt, _ = GenerationAttempt.objects.get_or_create(
        id=order.generation_attempt_id,
        defaults={"order": order, "revision": order.revision_count, "backend": settings.GENERATION_BACKEND,
                  "deadline_at": deadline_at},
    )
    return attempt
