"""Celery tasks of the payments app: thin wrappers around services, taking ids."""

from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from .emails import order_paid_email_send
from .reconciliation import payments_expire, payments_reconcile


@shared_task(
    acks_late=True, autoretry_for=(SMTPException, OSError), retry_backoff=30, retry_backoff_max=1800,
    retry_jitter=True, max_retries=6,
)
def send_order_paid_email(order_id: str) -> None:
    order_paid_email_send(order_id=order_id)


@shared_task(acks_late=True)
def reconcile_pending_payments() -> dict:
    """Beat: pending orders older than PENDING_ORDER_RECONCILE_MINUTES are checked against Stripe."""
    return dict(payments_reconcile(older_than=timedelta(minutes=settings.PENDING_ORDER_RECONCILE_MINUTES)))


@shared_task(acks_late=True)
def expire_pending_orders() -> dict:
    """Beat: pending orders older than PENDING_ORDER_EXPIRY_HOURS are canceled (after asking Stripe)."""
    return dict(payments_expire(older_than=timedelta(hours=settings.PENDING_ORDER_EXPIRY_HOURS)))
