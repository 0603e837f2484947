"""Orders stuck in generation: each attempt past its deadline is sent again, or given up on (a dead letter).

Run by the beat task and `manage.py sweep_stuck_generations`. Lock order as in `generation`: the attempt row
first, then the order row (taken inside `orders.services`).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from orders.models import Order, OrderStatus
from orders.services import order_generation_error_clear

from .generation import QUEUE_UNAVAILABLE, attempt_adopt, attempt_deadline, attempt_enqueue, attempt_give_up
from .models import AttemptOutcome, DeadLetterReason, GenerationAttempt

logger = logging.getLogger(__name__)


def _sweep_one(attempt_id, now) -> str:
    with transaction.atomic():
        attempt = GenerationAttempt.objects.select_for_update().filter(pk=attempt_id).first()
        if attempt is None or attempt.outcome != AttemptOutcome.PENDING or attempt.deadline_at >= now:
            return "skipped"
        order = Order.objects.get(pk=attempt.order_id)
        if order.status != OrderStatus.PROCESSING or order.generation_attempt_id != attempt.pk:
            attempt.outcome = AttemptOutcome.OBSOLETE
            attempt.save(update_fields=["outcome"])
            return "obsolete"
        if attempt.resends < settings.GENERATION_SWEEP_MAX_RESENDS:
            attempt.resends += 1
            attempt.deadline_at = attempt_deadline(now)
            attempt.save(update_fields=["resends", "deadline_at"])
            transaction.on_commit(lambda: _resend(order.pk, attempt.pk), robust=True)
            return "resent"
        minutes = settings.GENERATION_DEADLINE_MINUTES
        attempt_give_up(
            order,
            attempt,
            reason=DeadLetterReason.NO_ANSWER,
            task="sweep",
            error=f"pas de rappel {minutes} min après chacun des {attempt.resends + 1} envois",
            tries=attempt.sends,
        )
        attempt.outcome = AttemptOutcome.DEAD
        attempt.save(update_fields=["outcome"])
        return "dead_lettered"


def _resend(order_id, attempt_id) -> None:
    if attempt_enqueue(order_id, attempt_id):
        # Queued at last: the order no longer waits for the queue (its next error, if any, is the generator's).
        order_generation_error_clear(order_id=order_id, error=QUEUE_UNAVAILABLE)


def _adopt_orphans(now) -> None:
    """Orders sent to generation without going through `attempt_open` (e.g. by a script calling
    `orders.services` directly) have no attempt record: give them one, already due, so they are swept."""
    cutoff = now - timedelta(minutes=settings.GENERATION_DEADLINE_MINUTES)
    orphans = (
        Order.objects.filter(status=OrderStatus.PROCESSING, generation_started_at__lt=cutoff)
        .exclude(generation_attempt_id__in=GenerationAttempt.objects.values("pk"))
        .values_list("pk", flat=True)
    )
    for order_id in orphans:
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order_id)
            if order.status != OrderStatus.PROCESSING or order.generation_attempt_id is None:
                continue
            attempt_adopt(order, deadline_at=cutoff)


def generation_sweep_stuck(*, now=None) -> dict[str, int]:
    """Orders stuck in `processing` past their attempt's deadline: resend the attempt, or give up on it."""
    now = now or timezone.now()
    _adopt_orphans(now)
    stuck = list(
        GenerationAttempt.objects.filter(outcome=AttemptOutcome.PENDING, deadline_at__lt=now)
        .order_by("deadline_at")
        .values_list("pk", flat=True)
    )
    counts = {"resent": 0, "dead_lettered": 0, "obsolete": 0, "skipped": 0}
    for attempt_id in stuck:
        counts[_sweep_one(attempt_id, now)] += 1
    if stuck:
        logger.info("stuck generations swept", extra=counts)
    return counts
