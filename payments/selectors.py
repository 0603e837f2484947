"""Reads of the payments app."""

from django.db.models import OuterRef, Subquery
from django.db.models.fields.json import KT
from djstripe.models import PaymentIntent as StripePaymentIntent

from orders.models import Offer, Order
from orders.presentation import catalogue_levels

# What the status API and the confirmation page show: never the encrypted client inputs, which would be
# read and decrypted for nothing (the status API is polled while a payment settles).
STATUS_FIELDS = (
    "id", "number", "status", "level", "service", "amount", "currency", "duration", "created_at", "paid_at", "offer",
)


def order_with_payment_status(order_id) -> Order | None:
    """The order with `payment_status`: its PaymentIntent's status in dj-stripe's mirror (one query)."""
    intent_status = StripePaymentIntent.objects.filter(id=OuterRef("stripe_payment_intent_id")).values(
        status=KT("stripe_data__status")
    )[:1]
    return (
        Order.objects.annotate(payment_status=Subquery(intent_status))
        .select_related("offer")
        .only(*STATUS_FIELDS)
        .filter(pk=order_id)
        .first()
    )


def order_form_offers(*, level: str, service: str) -> dict:
    """The order form's active offers by level, and the one a deep link chose (the landing's "Commander …"
    links show it; the others wait behind "Changer de formule")."""
    offers = list(Offer.objects.active())
    selected = f"{level}:{service}"
    return {
        "levels": [entry for entry in catalogue_levels(offers) if entry["offers"]],
        "selected": selected,
        "selected_offer": next((offer for offer in offers if f"{offer.level_slug}:{offer.service}" == selected), None),
    }
