"""The order page (the seed's CommandeTemple) and the confirmation page that follows the order's status."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Expert
from orders.models import Order, OrderStatus

from .selectors import order_form_offers, order_with_payment_status

# Statuses after which the confirmation page stops polling.
SETTLED_STATUSES = frozenset(OrderStatus.values) - {OrderStatus.PENDING}

# The order page's head (templates/page.html): its title and its description for search engines.
ORDER_PAGE = {"title": _("Order your reading"), "description": _(
    "Order your Lumira spiritual reading: choose level and tier, pay securely by card, receive your reading "
    "within 12 to 48 h.")}


def order_page(request: HttpRequest) -> HttpResponse:
    context = {
        "page": ORDER_PAGE,
        **order_form_offers(level=request.GET.get("level", ""), service=request.GET.get("service", "")),
        "experts": list(Expert.objects.active().only("id", "name", "specialties", "rating")),
        "stripe_js_url": settings.STRIPE_JS_URL,
        "payments_config": _payments_config(),
        "show_test_cards": not settings.STRIPE_LIVE_MODE,
        "today": timezone.localdate(),
    }
    return render(request, "payments/order_form.html", context)


def _payments_config() -> dict:
    """What the order form's script needs: Stripe's publishable key and the payments API's URLs."""
    return {
        "publishableKey": settings.STRIPE_PUBLISHABLE_KEY,
        "createUrl": reverse("payments:api_create_payment_intent"),
        "confirmUrl": reverse("payments:api_confirm_payment"),
        "setupUrl": reverse("payments:api_setup_intent"),
    }


def _order_or_404(order_id) -> Order:
    order = order_with_payment_status(order_id)
    if order is None:
        raise Http404("Commande introuvable.")
    return order


def _status_context(order: Order) -> dict:
    return {
        "order": order,
        "settled": order.status in SETTLED_STATUSES,
        "paid": order.paid_at is not None and order.status != OrderStatus.REFUNDED,
        # The Sanctuaire's entry view signs in the browser that paid.
        "sanctuaire_url": reverse("sanctuaire:enter_from_order", args=[order.pk]),
    }


def confirmation(request: HttpRequest, order_id) -> HttpResponse:
    order = _order_or_404(order_id)
    return render(request, "payments/order_confirmation.html", _status_context(order))


def confirmation_status(request: HttpRequest, order_id) -> HttpResponse:
    """The status block, polled by htmx until the order is settled, with the summary's promised delivery swapped
    out of band: once paid, the client sees the delivery date without reloading the page."""
    order = _order_or_404(order_id)
    return render(request, "payments/_order_status.html", {**_status_context(order), "with_promised_delivery": True})
