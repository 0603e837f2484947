"""What Stripe reports about an order's payment, shared by the webhook receivers and reconciliation.

This module decides which change Stripe's news calls for and checks the money before any order is marked
paid; the order itself only moves through `orders.services` (which tells other apps through
`orders.signals.order_paid`). Receivers (`receivers.py`) and reconciliation (`reconciliation.py`) both end
here, so a payment heals the same way whichever comes first.
"""

import logging
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from djstripe.models import Charge as StripeCharge
from djstripe.models import PaymentIntent as StripePaymentIntent

from accounts.models import ClientProfile
from lumira import metrics as lumira_metrics
from orders import services as order_services
from orders.intake import INTAKE_FIELDS
from orders.models import Order
from orders.services import InvalidTransition

from .declines import RETRYABLE_INTENT_STATUSES, decline_message
from .stripe_api import ORDER_ID_KEY, object_id

logger = logging.getLogger(__name__)

# What the webhook receivers read from the order before a transition locks and reloads it: the
# encrypted client inputs are neither read nor decrypted on this path.
_WEBHOOK_ORDER_FIELDS = ("id", "number", "status", "amount", "currency", "stripe_payment_intent_id", "paid_at")


def order_for_payment_intent(intent: Mapping) -> Order | None:
    """The order a PaymentIntent pays: by the order id in its metadata, else by the stored intent id."""
    orders = Order.objects.only(*_WEBHOOK_ORDER_FIELDS)
    order_id = (intent.get("metadata") or {}).get(ORDER_ID_KEY)
    if order_id:
        try:
            return orders.get(pk=order_id)
        except (Order.DoesNotExist, ValidationError, ValueError):
            return None
    intent_id = intent.get("id")
    return orders.filter(stripe_payment_intent_id=intent_id).first() if intent_id else None


def _mirror(model, object_id: str | None, synced_since) -> Mapping | None:
    mirrors = model.objects.filter(id=object_id)
    if synced_since is not None:
        mirrors = mirrors.filter(djstripe_updated__gte=synced_since)
    mirror = mirrors.only("stripe_data").first() if object_id else None
    return mirror.stripe_data if mirror else None


def mirrored_payment_intent(intent_id: str | None, *, synced_since=None) -> Mapping | None:
    """dj-stripe's copy, re-retrieved from the Stripe API while it processed the event. With `synced_since`
    (the event's arrival), None unless it was refreshed since: dj-stripe skips an object Stripe answers
    `resource_missing` for, leaving an older copy that must not be taken for Stripe's current word."""
    return _mirror(StripePaymentIntent, intent_id, synced_since)


def mirrored_charge(charge_id: str | None, *, synced_since=None) -> Mapping | None:
    """dj-stripe's copy of a charge, as `mirrored_payment_intent`."""
    return _mirror(StripeCharge, charge_id, synced_since)


def _money_problem(order: Order, reports: Iterable[Mapping]) -> str:
    """Why these reports of a successful payment do not pay this order ("" when they do)."""
    for report in reports:
        intent_id = report.get("id", "")
        if order.stripe_payment_intent_id and intent_id != order.stripe_payment_intent_id:
            return f"Paiement {intent_id} reçu, mais la commande attend {order.stripe_payment_intent_id}."
        if report.get("status") != "succeeded":
            return f"Stripe indique le paiement {intent_id} « {report.get('status')} », pas réussi."
        amount = report.get("amount_received") or report.get("amount")
        currency = (report.get("currency") or "").lower()
        if amount != order.amount or currency != order.currency.lower():
            return (
                f"Montant reçu {amount} {currency} pour {intent_id}, alors que la commande vaut {order.amount} {order.currency}."
            )
    return ""


def _send_paid_email_after_commit(order_id) -> None:
    from .tasks import send_order_paid_email

    transaction.on_commit(lambda: send_order_paid_email.delay(str(order_id)))


def _client_inputs_fill(order: Order) -> None:
    """A returning client's saved profile fills what the new order lacks, for the expert (what is still
    missing then is asked for once by email, on `order_paid`)."""
    profile = ClientProfile.objects.filter(user_id=order.client_id).first()
    if profile is not None:
        inputs = {field: getattr(profile, field) for field in INTAKE_FIELDS}
        order_services.orders_client_inputs_apply(client=order.client, inputs=inputs)


def payment_succeeded(*, order: Order, reports: Iterable[Mapping], source: str, notify: bool = True) -> bool:
    """Stripe reports money taken for this order. Mark it paid if every report matches it, else flag it.

    `reports` are the event's PaymentIntent and dj-stripe's fresh copy from the API: both must carry the
    order's amount and currency. Returns whether the order moved to paid now.
    """
    reports = [report for report in reports if report]
    problem = _money_problem(order, reports)
    if problem:
        logger.warning("payments: order %s flagged: %s", order.number, problem)
        order_services.order_flag_payment(order_id=order.pk, reason=problem[:255])
        return False
    try:
        # One transaction: the order is paid, and filled from the client's profile, before `order_paid` goes
        # out (the intake reminder it starts must see what the profile gave).
        with transaction.atomic():
            result = order_services.order_mark_paid(order_id=order.pk, payment_intent_id=reports[0].get("id", ""), note=source)
            if result.changed:
                _client_inputs_fill(result.order)
                if notify:
                    _send_paid_email_after_commit(order.pk)
    except InvalidTransition as error:
        # Money arrived for an order that can no longer take it (canceled): staff must refund it.
        reason = f"Paiement reçu alors que la commande est « {error.order.get_status_display()} »."
        order_services.order_flag_payment(order_id=order.pk, reason=reason)
        return False
    if result.changed:
        lumira_metrics.payment_succeeded()
    return result.changed


def payment_failed(*, order: Order, intent: Mapping, current: Mapping | None, source: str) -> None:
    """Stripe reports a refused payment.

    While the PaymentIntent can still be paid (Stripe puts it back to requires_payment_method after a
    decline) the failure is one attempt: recorded on the order, which stays `pending` so the client can
    retry with another card. Only an intent that can no longer be paid fails the order.
    """
    error_data = intent.get("last_payment_error") or {}
    # Stored on the order (`last_error`) whoever triggers the report: in the site's language, as before.
    with translation.override(settings.LANGUAGE_CODE):
        error = decline_message(error_data.get("code"), error_data.get("decline_code"))
    status = (current or intent).get("status", "")
    if status in RETRYABLE_INTENT_STATUSES or status == "succeeded":
        if order_services.order_payment_attempt_failed(order_id=order.pk, error=error, intent_id=intent.get("id", "")):
            lumira_metrics.payment_failed()
        return
    try:
        if order_services.order_mark_payment_failed(order_id=order.pk, error=error).changed:
            lumira_metrics.payment_failed()
    except InvalidTransition:
        logger.info("payments: %s ignored for order %s (%s)", source, order.number, order.status)


def payment_canceled(*, order: Order, intent: Mapping, source: str) -> None:
    """The order's PaymentIntent was canceled: the order is canceled (a superseded intent changes nothing)."""
    if order.stripe_payment_intent_id and intent.get("id") != order.stripe_payment_intent_id:
        logger.info("payments: %s concerns a replaced PaymentIntent of order %s", source, order.number)
        return
    try:
        order_services.order_cancel(order_id=order.pk, note=f"PaymentIntent annulé ({source}).")
    except InvalidTransition:
        logger.info("payments: %s ignored for order %s (%s)", source, order.number, order.status)


def charge_refunded(*, order: Order, charge: Mapping, source: str) -> None:
    """A refund on the order's charge (Stripe's copy of it, not the event's). A full refund refunds the
    order; a partial one is flagged for staff; no refund at all (a forged event) is flagged and changes nothing.

    A refund can be delivered before the payment's own success event: the charge proves the payment,
    so the order is marked paid first (without the "paid" email), then refunded.
    """
    amount_refunded = charge.get("amount_refunded") or 0
    if not amount_refunded:
        # `charge` is Stripe's copy: an event announcing a refund that Stripe does not record is forged.
        reason = f"Remboursement annoncé ({source}) mais absent chez Stripe : rien n'a été changé."
        logger.warning("payments: order %s flagged: %s", order.number, reason)
        order_services.order_flag_payment(order_id=order.pk, reason=reason[:255])
        return
    if not charge.get("refunded") or amount_refunded < order.amount:
        order_services.order_flag_payment(
            order_id=order.pk, reason=f"Remboursement partiel : {amount_refunded} {charge.get('currency', '')}."
        )
        return
    if order.paid_at is None and charge.get("paid") and charge.get("status") == "succeeded":
        paid_report = {
            "id": object_id(charge.get("payment_intent")),
            "status": "succeeded",
            "amount_received": charge.get("amount_captured") or charge.get("amount"),
            "currency": charge.get("currency"),
        }
        payment_succeeded(order=order, reports=[paid_report], source=source, notify=False)
    try:
        order_services.order_refund(order_id=order.pk, note=f"Remboursement total ({source}).")
    except InvalidTransition:
        logger.warning("payments: %s could not refund order %s (%s)", source, order.number, order.status)
