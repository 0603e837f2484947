import logging
import smtplib

from celery import shared_task

from .audio import TransientAudioError
from .services import intake_reminder_send, magic_link_send, reading_audio_render

logger = logging.getLogger(__name__)


def _retried_task(*, errors: tuple[type[Exception], ...], backoff: int, backoff_max: int, max_retries: int, **options):
    """A Celery task acknowledged once done, retried on `errors` with a jittered exponential backoff."""
    return shared_task(
        acks_late=True, autoretry_for=errors, retry_backoff=backoff, retry_backoff_max=backoff_max,
        retry_jitter=True, max_retries=max_retries, **options,
    )


EMAIL_ERRORS = (smtplib.SMTPException, OSError)


@_retried_task(errors=EMAIL_ERRORS, backoff=5, backoff_max=300, max_retries=5)
def magic_link_email_send(user_id: int) -> bool:
    """Send a sign-in link. The token is made here, so it never sits in the broker."""
    return magic_link_send(user_id=user_id)


@_retried_task(errors=EMAIL_ERRORS, backoff=30, backoff_max=1800, max_retries=6)
def intake_reminder_email_send(order_id: str) -> None:
    """The one "complete your profile" email of an order paid with an incomplete intake."""
    intake_reminder_send(order_id=order_id)


@_retried_task(
    name="sanctuaire.reading_audio", errors=(TransientAudioError, OSError), backoff=10, backoff_max=600, max_retries=5,
    # A VIP reading's script takes a few seconds of CPU; a busy machine or a slow provider, minutes.
    soft_time_limit=900,
    time_limit=960,
)
def reading_audio(order_id: str) -> str:
    """Render a delivered reading's audio (level ≥ 2) and attach it to the order; a repeat does nothing."""
    return reading_audio_render(order_id=order_id)
