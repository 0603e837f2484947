"""Small helpers shared by the payments tests."""

import contextlib

import stripe
from django.urls import reverse

from orders.models import Order, OrderEvent
from payments.stripe_api import secret_key

ORDER_FORM = {
    "level": "intuitive",
    "service": "premium",
    "expertId": None,
    "email": "camille.lune@example.com",
    "name": "Camille Lune",
    "phone": "06 12 34 56 78",
    # The intake the order page asks for (optional on the API itself: see NO_INTAKE).
    "birthDate": "1985-03-21",
    "birthTime": "14:30",
    "birthPlace": "Paris",
    "question": "Quelle voie pour mon travail ?",
    "objective": "Changer de métier.",
    "withdrawalWaiver": True,
}
NO_INTAKE = {"birthDate": None, "birthTime": None, "birthPlace": None, "question": None, "objective": None}
CREATE_URL = "/api/payments/create-payment-intent"
CONFIRM_URL = "/api/payments/confirm-payment"
SETUP_URL = "/api/payments/setup-intent"


def accepted(response, order: Order) -> None:
    """The webhook accepted Stripe's event (a 200: anything else and Stripe sends it again); `order` is reloaded."""
    assert response.status_code == 200
    order.refresh_from_db()


def create_checkout(client, **changes):
    return client.post(CREATE_URL, {**ORDER_FORM, **changes}, content_type="application/json")


def checkout_order(client, **changes) -> tuple[Order, dict]:
    response = create_checkout(client, **changes)
    assert response.status_code == 201, response.content
    body = response.json()
    return Order.objects.get(pk=body["orderId"]), body


def retrieve_intent(intent_id: str):
    return stripe.PaymentIntent.retrieve(intent_id, api_key=secret_key())


def pay_intent_in_stripe(order: Order, payment_method: str = "pm_card_visa"):
    """Stripe takes the money (as after the browser's card step), without any webhook reaching Lumira."""
    stripe.PaymentIntent.modify(order.stripe_payment_intent_id, payment_method=payment_method, api_key=secret_key())
    return stripe.PaymentIntent.confirm(order.stripe_payment_intent_id, api_key=secret_key())


def decline_intent_in_stripe(order: Order):
    stripe.PaymentIntent.modify(
        order.stripe_payment_intent_id, payment_method="pm_card_chargeCustomerFail", api_key=secret_key()
    )
    with contextlib.suppress(stripe.CardError):
        stripe.PaymentIntent.confirm(order.stripe_payment_intent_id, api_key=secret_key())
    return retrieve_intent(order.stripe_payment_intent_id)


def stripe_ids(order: Order, intent) -> dict[str, str]:
    """The localstripe ids to put in a stored event in place of the stored ones."""
    charge = intent.get("latest_charge")
    ids = {
        "payment_intent": intent.id,
        "customer": intent.customer,
        "order_id": str(order.pk),
        "order_number": order.number,
    }
    if charge:
        ids["charge"] = charge if isinstance(charge, str) else charge["id"]
    if intent.get("payment_method"):
        ids["payment_method"] = intent.payment_method
    return ids


def status_url(order) -> str:
    return reverse("payments:api_order_status", args=[order.pk])


def event_count(order: Order, action: str) -> int:
    """How many times the order's history records this action."""
    return OrderEvent.objects.filter(order=order, action=action).count()
