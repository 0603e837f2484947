"""Celery tasks of the experts app: thin wrappers taking ids (STYLE §6)."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings

from . import generation, notifications, sweep
from .models import DeadLetterReason

logger = logging.getLogger(__name__)


@shared_task(name=generation.GENERATION_TASK, bind=True, acks_late=True, max_retries=None)
def generation_request(self, order_id: str, attempt_id: str, previous_tries: int = 0) -> str:
    """Send one generation attempt; retry timeouts, 5xx and invalid content with backoff, then dead-letter it.

    The number of tries is bounded by GENERATION_MAX_ATTEMPTS (read at run time, not import time), counting
    `previous_tries` (an n8n callback with invalid content queues the next try as a new task).
    A 4xx is not retried: the same request would be refused again.
    """
    tries = previous_tries + self.request.retries + 1
    try:
        return generation.generation_send(order_id=order_id, attempt_id=attempt_id)
    except generation.TransientGenerationError as error:
        if tries < settings.GENERATION_MAX_ATTEMPTS:
            delay = generation.retry_delay(self.request.retries)
            logger.info("generation retry", extra={"order_id": order_id, "try": tries, "delay": delay, "error": str(error)})
            generation.generation_retry_scheduled(
                order_id=order_id, attempt_id=attempt_id, next_try=tries + 1, error=str(error)
            )
            if self.request.is_eager:
                # Eager mode (demo without Redis, tests): no broker holds the retry, Celery re-applies it now.
                return self.retry(exc=error, countdown=delay, throw=False)
            raise self.retry(exc=error, countdown=delay) from error
        reason, message = DeadLetterReason.RETRIES_EXHAUSTED, str(error)
    except generation.PermanentGenerationError as error:
        reason, message = DeadLetterReason.REFUSED, str(error)
    except Exception as error:  # a bug in the local generator must not leave the order stuck
        logger.exception("generation failed", extra={"order_id": order_id})
        reason, message = DeadLetterReason.GENERATOR_FAILURE, f"erreur interne ({error.__class__.__name__})"
    generation.generation_dead_letter(
        order_id=order_id, attempt_id=attempt_id, reason=reason, error=message, tries=tries, task=self.name
    )
    return "dead_letter"


@shared_task(name="experts.sweep_stuck_generations", acks_late=True)
def sweep_stuck_generations() -> dict:
    return sweep.generation_sweep_stuck()


_EMAIL_RETRY = {
    "acks_late": True,
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="experts.reading_ready_email", **_EMAIL_RETRY)
def reading_ready_email(order_id: str) -> bool:
    return notifications.reading_ready_send(order_id=order_id)


@shared_task(name="experts.revision_ready_email", **_EMAIL_RETRY)
def revision_ready_email(order_id: str, revision: int) -> bool:
    return notifications.revision_ready_send(order_id=order_id, revision=revision)


@shared_task(name="experts.order_assigned_email", **_EMAIL_RETRY)
def order_assigned_email(order_id: str) -> bool:
    return notifications.order_assigned_send(order_id=order_id)


@shared_task(name="experts.chosen_expert_paid_email", **_EMAIL_RETRY)
def chosen_expert_paid_email(order_id: str) -> bool:
    return notifications.chosen_expert_paid_send(order_id=order_id)
