import logging
import smtplib

from celery import shared_task

from .audio import TransientAudioError
from .services import intake_reminder_send, magic_link_send, reading_audio_render

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def magic_link_email_send(user_id: int) -> bool:
    """Send a sign-in link. The token is made here, so it never sits in the broker."""
    return magic_link_send(user_id=user_id)


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=6,
)
def intake_reminder_email_send(order_id: str) -> None:
    """The one "complete your profile" email of an order paid with an incomplete intake."""
    intake_reminder_send(order_id=order_id)


@shared_task(
    name="sanctuaire.reading_audio",
    acks_late=True,
    autoretry_for=(TransientAudioError, OSError),
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    # A VIP reading's script takes a few seconds of CPU; a busy machine or a slow provider, minutes.
    soft_time_limit=900,
    time_limit=960,
)
def reading_audio(order_id: str) -> str:
    """Render a delivered reading's audio (level ≥ 2) and attach it to the order; a repeat does nothing."""
    return reading_audio_render(order_id=order_id)
