"""The client's "commande payée" email."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from orders.models import Order


def order_paid_email_send(*, order_id) -> None:
    order = Order.objects.select_related("offer").get(pk=order_id)
    context = {
        "order": order,
        "confirmation_url": settings.SITE_URL + reverse("payments:confirmation", args=[order.pk]),
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=_("Lumira — your order %(number)s is paid") % {"number": order.number},
        body=render_to_string("emails/payments_order_paid.txt", context),
        to=[order.client_email],
    )
    message.attach_alternative(render_to_string("emails/payments_order_paid.html", context), "text/html")
    message.send()
