"""What experts do when an order changes elsewhere (orders.signals, sent after commit; connected in ready())."""

from orders.models import Order, OrderStatus
from orders.signals import order_paid


def chosen_expert_notify(sender, *, order_id, **kwargs) -> None:
    """The order the client placed with a chosen expert is paid and waits in their queue: email that expert.
    `order_paid` comes once per order. Not for an expert who took the order after its payment, nor for an
    order that moved on in the same breath (e.g. a refund delivered before its payment: refunded at commit)."""
    from .tasks import chosen_expert_paid_email

    order = Order.objects.filter(pk=order_id).only("expert", "status", "assigned_at", "paid_at").first()
    chosen = order is not None and order.expert_id is not None and order.assigned_at and order.paid_at
    if chosen and order.status == OrderStatus.PAID and order.assigned_at <= order.paid_at:
        chosen_expert_paid_email.delay(str(order_id))


def connect() -> None:
    order_paid.connect(chosen_expert_notify, sender=Order, dispatch_uid="experts-chosen-expert-paid")
