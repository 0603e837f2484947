from dataclasses import dataclass
from datetime import datetime, timedelta

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.models import OrderStatus

register = template.Library()

# Under this share of its delivery target left, an order is flagged as urgent.
URGENT_SHARE = 0.25


@dataclass(frozen=True)
class Delivery:
    due: datetime | None
    state: str  # "ok", "urgent", "overdue", "delivered" or "unknown"
    label: str


def _duration(delta: timedelta, *, round_up: bool = False) -> str:
    seconds = delta.total_seconds()
    minutes = int(-(-seconds // 60) if round_up else seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return f"{hours} h {minutes:02d}"
    return f"{minutes} min"


def delivery_of(order, now: datetime | None = None) -> Delivery:
    """The time left to the order's delivery target (Order.delivery_due_at), and how pressing it is."""
    due = getattr(order, "due_at", None) or order.delivery_due_at
    if order.status == OrderStatus.COMPLETED:
        return Delivery(due, "delivered", _("Delivered"))
    hours = settings.DELIVERY_TARGET_HOURS.get(order.service)
    if due is None or not hours:
        return Delivery(None, "unknown", "—")
    left = due - (now or timezone.now())
    if left <= timedelta(0):
        return Delivery(due, "overdue", _("Late by %(duration)s") % {"duration": _duration(-left)})
    state = "urgent" if left < timedelta(hours=hours) * URGENT_SHARE else "ok"
    return Delivery(due, state, _("%(duration)s left") % {"duration": _duration(left, round_up=True)})


@register.simple_tag
def delivery(order) -> Delivery:
    return delivery_of(order)
