"""The order page (the seed's CommandeTemple) and the confirmation page that follows the order's status."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.models import Expert
from orders.models import Offer, Order, OrderStatus
from orders.presentation import catalogue_levels

from .selectors import order_with_payment_status

# Statuses after which the confirmation page stops polling.
SETTLED_STATUSES = frozenset(OrderStatus.values) - {OrderStatus.PENDING}


def order_page(request: HttpRequest) -> HttpResponse:
    offers = list(Offer.objects.active())
    selected = f"{request.GET.get('level', '')}:{request.GET.get('service', '')}"
    # A deep link (the landing's "Commander …" links) shows the chosen offer; the others wait behind
    # "Changer de formule".
    selected_offer = next((offer for offer in offers if f"{offer.level_slug}:{offer.service}" == selected), None)
    levels = catalogue_levels(offers)
    config = {
        "publishableKey": settings.STRIPE_PUBLISHABLE_KEY,
        "createUrl": reverse("payments:api_create_payment_intent"),
        "confirmUrl": reverse("payments:api_confirm_payment"),
        "setupUrl": reverse("payments:api_setup_intent"),
    }
    context = {
        "levels": [entry for entry in levels if entry["offers"]],
        "selected": selected,
        "selected_offer": selected_offer,
        "experts": list(Expert.objects.active().only("id", "name", "specialties", "rating")),
        "stripe_js_url": settings.STRIPE_JS_URL,
        "payments_config": config,
        "show_test_cards": not settings.STRIPE_LIVE_MODE,
        "today": timezone.localdate(),
    }
    return render(request, "payments/order_form.html", context)


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
    """The status block alone, polled by htmx until the order is settled."""
    order = _order_or_404(order_id)
    return render(request, "payments/_order_status.html", _status_context(order))
