"""The order status API's cached answer (polled by the confirmation page while a payment settles): per order,
rebuilt once the order or its PaymentIntent mirror has changed (on commit: see lumira/view_cache.py)."""

from djstripe.models import PaymentIntent as StripePaymentIntent

from lumira.view_cache import on_save_and_delete, retire
from orders.models import Order
from orders.signals import order_changed

from .stripe_api import ORDER_ID_KEY


def order_generation(order_id) -> str:
    return f"order:{order_id}"


def _order_changed(sender, *, order_id, **kwargs) -> None:
    retire(order_generation(order_id))


def _order_saved(sender, instance: Order, **kwargs) -> None:
    retire(order_generation(instance.pk))


def _payment_intent_changed(sender, instance: StripePaymentIntent, **kwargs) -> None:
    # `paymentStatus` comes from dj-stripe's mirror, synced by webhooks and reconciliation. The orders are
    # looked up now (inside the write's transaction, which sees its own rows); retired on commit.
    order_id = (instance.metadata or {}).get(ORDER_ID_KEY)
    order_ids = (
        [order_id] if order_id else Order.objects.filter(stripe_payment_intent_id=instance.id).values_list("pk", flat=True)
    )
    retire(*(order_generation(pk) for pk in order_ids))


def connect() -> None:
    order_changed.connect(_order_changed, dispatch_uid="payments-status-cache-order-changed")
    on_save_and_delete(_order_saved, Order, "payments-status-cache-order")
    on_save_and_delete(_payment_intent_changed, StripePaymentIntent, "payments-status-cache-pi")
