"""Which orders an expert may see: one rule for the desk, the expert API and the admin."""

from django.db.models import Q, QuerySet

from accounts.models import Expert

from .models import Order, OrderStatus

S = OrderStatus
# The statuses an expert works with; pending, failed, canceled and refunded orders are not theirs.
DESK_STATUSES = (S.PAID, S.PROCESSING, S.AWAITING_VALIDATION, S.COMPLETED)


def orders_visible_to(expert: Expert) -> QuerySet[Order]:
    """An expert sees their own orders and the unassigned ones; an admin sees them all."""
    orders = Order.objects.filter(status__in=DESK_STATUSES)
    if not expert.is_admin:
        orders = orders.filter(Q(expert=expert) | Q(expert__isnull=True))
    return orders
