"""Emails about orders: to the client when the reading is ready, to the expert about their work."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from lumira.emails import email_send
from orders.levels import AUDIO_LEVEL
from orders.models import Order, OrderStatus


def _send(template: str, context: dict, to: str) -> None:
    context = {**context, "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    email_send(subject=subject, template=f"emails/{template}_body", context=context, to=to)


def _desk_url(order: Order) -> str:
    return settings.SITE_URL + reverse("experts:order", args=[order.pk])


def reading_ready_send(*, order_id) -> bool:
    """The client's reading was approved: "votre lecture est prête", with the way to the Sanctuaire."""
    order = Order.objects.filter(pk=order_id, status=OrderStatus.COMPLETED).first()
    if order is None:
        return False
    context = {
        "order": order, "first_name": order.client_first_name, "url": settings.SITE_URL + reverse("sanctuaire:home"),
        # The reading page itself, where the audio player is (level ≥ 2): the link works once signed in.
        "reading_url": settings.SITE_URL + reverse("sanctuaire:reading_detail", args=[order.pk]),
        "has_audio": order.level >= AUDIO_LEVEL,
    }
    _send("experts_reading_ready", context, order.client_email)
    return True


def revision_ready_send(*, order_id, revision: int) -> bool:
    """The revised content of an order is ready for its expert to validate."""
    order = Order.objects.select_related("expert__user").filter(pk=order_id).first()
    if order is None or order.expert is None:
        return False
    context = {"order": order, "expert": order.expert, "revision": revision, "url": _desk_url(order)}
    _send("experts_revision_ready", context, order.expert.email)
    return True


def order_assigned_send(*, order_id) -> bool:
    """An order was given to an expert (by an admin, or chosen by the client)."""
    order = Order.objects.select_related("expert__user").filter(pk=order_id).first()
    if order is None or order.expert is None:
        return False
    context = {"order": order, "expert": order.expert, "url": _desk_url(order)}
    _send("experts_order_assigned", context, order.expert.email)
    return True


def chosen_expert_paid_send(*, order_id) -> bool:
    """The client chose this expert when ordering, and the order is now paid: it waits in their queue."""
    order = Order.objects.select_related("expert__user").filter(pk=order_id, paid_at__isnull=False).first()
    if order is None or order.expert is None or not order.expert.can_sign_in:
        return False
    context = {"order": order, "expert": order.expert, "url": _desk_url(order)}
    _send("experts_order_paid", context, order.expert.email)
    return True
