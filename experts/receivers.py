"""What experts do when an order changes elsewhere (orders.signals, sent after commit; connected in ready())."""

from orders.models import Order, OrderStatus
from orders.signals import order_paid


def chosen_expert_notify(sender, *, order_id, **kwargs) -> None:
    """The order the client placed with a chosen expert is paid: email that expert. `order_paid` comes once
    per order; an order refunded in the same breath (a refund delivered before its payment) is not news."""
    from .tasks import chosen_expert_paid_email

    order = Order.objects.filter(pk=order_id).only("expert", "status").first()
    if order is None or order.expert_id is None or order.status == OrderStatus.REFUNDED:
        return
    chosen_expert_paid_email.delay(str(order_id))


def connect() -> None:
    order_paid.connect(chosen_expert_notify, sender=Order, dispatch_uid="experts-chosen-expert-paid")
