import smtplib

from celery import shared_task

from .emails import contact_message_email_send


@shared_task(
    acks_late=True, autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=30, retry_backoff_max=1800,
    retry_jitter=True, max_retries=6,
)
def contact_message_email(message_id: int) -> bool:
    """Forward a contact message to staff; takes the id, so the message never sits in the broker."""
    return contact_message_email_send(message_id=message_id)
