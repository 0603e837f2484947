"""What the payment side does to an order: paid, failed, canceled, flagged, refunded, its PaymentIntent."""

from django.db import transaction
from django.utils import timezone

from ..models import Order, OrderStatus
from ..signals import order_paid
from .core import TransitionResult, after_commit, changed, lock, record_event, transition


def order_mark_paid(*, order_id, payment_intent_id: str = "", note: str = "") -> TransitionResult:
    """`pending`/`failed` → `paid`; `order_paid` goes out after commit (once: a repeat changes nothing)."""

    def apply(order: Order) -> None:
        order.paid_at = timezone.now()
        order.closed_at = None
        if payment_intent_id:
            order.stripe_payment_intent_id = payment_intent_id

    with transaction.atomic():
        result = transition(order_id, "payment_succeeded", note=note, apply=apply)
        if result.changed:
            after_commit(order_paid, result.order)
    return result


def order_mark_payment_failed(*, order_id, error: str = "") -> TransitionResult:
    def apply(order: Order) -> None:
        order.last_error = error
        order.closed_at = timezone.now()

    # A failure reported after the order was paid (out-of-order delivery) changes nothing.
    return transition(order_id, "payment_failed", note=error, apply=apply)


def order_cancel(*, order_id, note: str = "", actor=None) -> TransitionResult:
    def apply(order: Order) -> None:
        order.closed_at = timezone.now()

    return transition(order_id, "canceled", actor=actor, note=note, apply=apply)


def order_refund(*, order_id, note: str = "") -> TransitionResult:
    """Full refund: the order no longer gives Sanctuaire access (see `OrderQuerySet.with_access`)."""

    def apply(order: Order) -> None:
        order.refunded_at = timezone.now()

    return transition(order_id, "refunded", note=note, apply=apply)


def order_flag_payment(*, order_id, reason: str) -> Order:
    """Stripe reported a payment that does not match the order: keep it for staff, never mark it paid."""
    with transaction.atomic():
        order = lock(order_id)
        if order.payment_flag == reason:
            return order
        order.payment_flag = reason
        order.save(update_fields=["payment_flag", "updated_at"])
        record_event(order, from_status=order.status, action="payment_flagged", note=reason)
        return order


def order_payment_intent_attach(*, order_id, payment_intent_id: str) -> Order:
    """Record the order's current PaymentIntent (not a status change, so no transition); replacing one
    leaves a `payment_intent_replaced` event."""
    with transaction.atomic():
        order = lock(order_id)
        if order.stripe_payment_intent_id != payment_intent_id:
            previous = order.stripe_payment_intent_id
            order.stripe_payment_intent_id = payment_intent_id
            order.save(update_fields=["stripe_payment_intent_id", "updated_at"])
            if previous:
                record_event(
                    order,
                    from_status=order.status,
                    action="payment_intent_replaced",
                    note=f"{previous} → {payment_intent_id}",
                )
            else:
                changed(order)
    return order


def order_payment_attempt_failed(*, order_id, error: str, intent_id: str = "") -> bool:
    """A card was refused on a PaymentIntent that can still be paid: note it, the order stays pending."""
    with transaction.atomic():
        order = lock(order_id)
        if order.status != OrderStatus.PENDING:
            return False  # late news about an order that moved on (paid, canceled): nothing to record
        order.last_error = error
        order.save(update_fields=["last_error", "updated_at"])
        record_event(
            order,
            from_status=order.status,
            action="payment_attempt_failed",
            note=f"{intent_id} : {error}" if intent_id else error,
        )
    return True
