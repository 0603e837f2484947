"""Lumira's handlers for Stripe webhooks, hooked into dj-stripe (imported in PaymentsConfig.ready()).

dj-stripe has already checked the signature, dropped a duplicate event id, stored the Event and
re-retrieved the object from the Stripe API (its own handler runs first) when these run, all inside
one transaction: an exception here rolls the event back and answers 500, so Stripe delivers it again.
Business refusals (an order that moved on) are not exceptions: they are logged and answered 200.
Nothing is applied from the event body alone: each receiver acts on dj-stripe's fresh copy of the object
(Stripe's own word); an event whose object Stripe does not know never reaches here (webhooks.py).
"""

import logging

from django.dispatch import receiver
from djstripe import signals as djstripe_signals
from djstripe.event_handlers import djstripe_receiver
from djstripe.models import Event

from lumira import metrics
from orders.models import Order

from . import stripe_reports
from .stripe_api import object_id

logger = logging.getLogger(__name__)


def _unknown(event: Event) -> None:
    logger.warning("payments: Stripe event %s (%s) names an object the Stripe API does not know: acknowledged, "
                   "ignored", event.id, event.type)


def _order_and_current(event: Event) -> tuple[Order | None, dict | None]:
    """The order the event's PaymentIntent pays, and Stripe's fresh copy of that intent (None, None when
    Stripe does not know the intent: nothing is applied from the event body alone)."""
    intent = event.data["object"]
    current = stripe_reports.mirrored_payment_intent(intent.get("id"), synced_since=event.djstripe_created)
    if current is None:
        _unknown(event)
        return None, None
    order = stripe_reports.order_for_payment_intent(intent)
    if order is None:
        logger.warning("payments: %s %s: no Lumira order for %s", event.type, event.id, intent.get("id"))
    return order, current


@djstripe_receiver("payment_intent.succeeded")
def on_payment_intent_succeeded(sender, event: Event, **kwargs) -> None:
    order, current = _order_and_current(event)
    if order:
        reports = [event.data["object"], current]
        stripe_reports.payment_succeeded(order=order, reports=reports, source=f"webhook {event.id}")


@djstripe_receiver("payment_intent.payment_failed")
def on_payment_intent_payment_failed(sender, event: Event, **kwargs) -> None:
    order, current = _order_and_current(event)
    if order:
        intent = event.data["object"]
        stripe_reports.payment_failed(order=order, intent=intent, current=current, source=f"webhook {event.id}")


@djstripe_receiver("payment_intent.canceled")
def on_payment_intent_canceled(sender, event: Event, **kwargs) -> None:
    order, _ = _order_and_current(event)
    if order:
        stripe_reports.payment_canceled(order=order, intent=event.data["object"], source=f"webhook {event.id}")


@djstripe_receiver("charge.refunded")
def on_charge_refunded(sender, event: Event, **kwargs) -> None:
    # Stripe's copy of the charge, never the event's: a forged refund event must not withdraw any access.
    charge = stripe_reports.mirrored_charge(event.data["object"].get("id"), synced_since=event.djstripe_created)
    if charge is None:
        _unknown(event)
        return
    intent_id = object_id(charge.get("payment_intent"))
    intent = stripe_reports.mirrored_payment_intent(intent_id) if intent_id else None
    order = stripe_reports.order_for_payment_intent(intent or {"id": intent_id})
    if order is None:
        logger.warning("payments: %s %s: no Lumira order for charge %s", event.type, event.id, charge.get("id"))
        return
    stripe_reports.charge_refunded(order=order, charge=charge, source=f"webhook {event.id}")


# Every delivery, counted for /metrics (lumira_webhook_events_total): dj-stripe's own signals.
def _event_type(instance) -> str:
    body = instance.json_body if isinstance(instance.json_body, dict) else {}
    return str(body.get("type", ""))


@receiver(djstripe_signals.webhook_post_validate, dispatch_uid="lumira-metrics-webhook-validated")
def on_webhook_validated(sender, instance, valid: bool, **kwargs) -> None:
    if not valid:
        metrics.webhook_event(_event_type(instance), "invalid")


@receiver(djstripe_signals.webhook_post_process, dispatch_uid="lumira-metrics-webhook-processed")
def on_webhook_processed(sender, instance, **kwargs) -> None:
    metrics.webhook_event(_event_type(instance), "processed")


@receiver(djstripe_signals.webhook_processing_error, dispatch_uid="lumira-metrics-webhook-failed")
def on_webhook_failed(sender, instance, **kwargs) -> None:
    metrics.webhook_event(_event_type(instance), "failed")
