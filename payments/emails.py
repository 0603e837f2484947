"""The client's "commande payée" email."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from lumira.emails import email_send
from orders.models import Order


def order_paid_email_send(*, order_id) -> None:
    order = Order.objects.select_related("offer").get(pk=order_id)
    context = {
        "order": order,
        "confirmation_url": settings.SITE_URL + reverse("payments:confirmation", args=[order.pk]),
    }
    subject = _("Lumira — your order %(number)s is paid") % {"number": order.number}
    email_send(subject=subject, template="emails/payments_order_paid", context=context, to=order.client_email)
