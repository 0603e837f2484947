"""Ask Stripe about orders still pending and apply what it says: a missed webhook heals itself.

Used by `manage.py reconcile_payments`, `manage.py expire_pending_orders` and the Celery beat tasks.
Each order is handled on its own (a Stripe error on one does not stop the others) through the same
services as the webhooks, so a late webhook after a reconciliation changes nothing twice.
"""

import logging
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import stripe
from django.utils import timezone

from orders import services as order_services
from orders.models import Order, OrderStatus

from .checkout import payment_intent_mirror
from .stripe_api import secret_key
from .stripe_reports import payment_canceled, payment_succeeded

logger = logging.getLogger(__name__)

Progress = Callable[[Order, str], None]

PAID, CANCELED, FLAGGED, UNCHANGED, EXPIRED, ERROR = "paid", "canceled", "flagged", "unchanged", "expired", "error"


def _stale_pending(older_than: timedelta):
    cutoff = timezone.now() - older_than
    return Order.objects.filter(status=OrderStatus.PENDING, created_at__lte=cutoff).order_by("created_at")


def payment_reconcile_order(order: Order) -> str:
    """Apply the current state of the order's PaymentIntent. Raises stripe.StripeError when Stripe fails."""
    intent = stripe.PaymentIntent.retrieve(order.stripe_payment_intent_id, api_key=secret_key())
    payment_intent_mirror(intent)
    if intent.status == "succeeded":
        payment_succeeded(order=order, reports=[intent], source="réconciliation")
    elif intent.status == "canceled":
        payment_canceled(order=order, intent=intent, source="réconciliation")
    order.refresh_from_db()
    if order.status == OrderStatus.PAID:
        return PAID
    if order.status == OrderStatus.CANCELED:
        return CANCELED
    return FLAGGED if order.payment_flag else UNCHANGED


def payments_reconcile(*, older_than: timedelta, limit: int = 500, progress: Progress | None = None) -> Counter:
    """Reconcile pending orders older than `older_than` with Stripe. Returns a count per outcome."""
    orders = _stale_pending(older_than).exclude(stripe_payment_intent_id="")[:limit]
    return _each(orders, payment_reconcile_order, doing="reconciling", progress=progress)


def _each(orders, act: Callable[[Order], str], *, doing: str, progress: Progress | None) -> Counter:
    """`act` on each order, one at a time (a Stripe error counts as ERROR and the next order goes on)."""
    outcomes: Counter = Counter()
    for order in orders:
        try:
            outcome = act(order)
        except stripe.StripeError:
            logger.exception("payments: %s order %s failed", doing, order.number)
            outcome = ERROR
        outcomes[outcome] += 1
        if progress:
            progress(order, outcome)
    return outcomes


def _expire(order: Order, hours: float) -> str:
    if order.stripe_payment_intent_id:
        # Stripe first: an order paid at the last minute is marked paid, never expired.
        outcome = payment_reconcile_order(order)
        if outcome != UNCHANGED:
            return outcome
        try:
            stripe.PaymentIntent.cancel(
                order.stripe_payment_intent_id, api_key=secret_key(),
                idempotency_key=f"lumira-expire-{order.stripe_payment_intent_id}",
            )
        except stripe.InvalidRequestError:
            # Not cancelable any more: it was paid (or canceled) in between. Apply that instead.
            outcome = payment_reconcile_order(order)
            if outcome != UNCHANGED:
                return outcome
            raise
    order_services.order_cancel(order_id=order.pk, note=f"Expirée : aucun paiement après {hours:g} h.")
    return EXPIRED


def payments_expire(*, older_than: timedelta, limit: int = 500, progress: Progress | None = None) -> Counter:
    """Cancel pending orders older than `older_than` (and their PaymentIntents), after asking Stripe."""
    hours = older_than.total_seconds() / 3600
    return _each(_stale_pending(older_than)[:limit], lambda order: _expire(order, hours), doing="expiring", progress=progress)
