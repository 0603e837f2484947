"""The order status API's cached answer (polled by the confirmation page while a payment settles): per
order, rebuilt only after the order or its PaymentIntent mirror changed (see lumira/view_cache.py)."""

from django.db.models.signals import post_delete, post_save
from djstripe.models import PaymentIntent as StripePaymentIntent

from lumira.view_cache import generation_bump
from orders.models import Order

from .stripe_api import ORDER_ID_KEY


def order_generation(order_id) -> str:
    return f"order:{order_id}"


def _order_changed(sender, instance: Order, **kwargs) -> None:
    generation_bump(order_generation(instance.pk))


def _payment_intent_changed(sender, instance: StripePaymentIntent, **kwargs) -> None:
    # `paymentStatus` comes from dj-stripe's mirror, synced by webhooks and reconciliation.
    order_id = (instance.metadata or {}).get(ORDER_ID_KEY)
    order_ids = [order_id] if order_id else Order.objects.filter(stripe_payment_intent_id=instance.id).values_list(
        "pk", flat=True
    )
    for pk in order_ids:
        generation_bump(order_generation(pk))


def connect() -> None:
    post_save.connect(_order_changed, sender=Order, dispatch_uid="payments-status-cache-order-save")
    post_delete.connect(_order_changed, sender=Order, dispatch_uid="payments-status-cache-order-delete")
    post_save.connect(_payment_intent_changed, sender=StripePaymentIntent, dispatch_uid="payments-status-cache-pi-save")
