"""What Lumira does not take on trust from a Stripe event: a success whose amount, currency or payment intent
does not match the order (flagged, never paid), one Stripe does not confirm, money taken for a canceled order;
an event signed with another secret, unsigned, replayed too late, changed after signing or sent to an unknown
endpoint. Replayed like test_webhooks.py (the `order` and `replay` fixtures: tests/payments/conftest.py)."""

import time

import pytest
import stripe
from django.core import mail
from djstripe.models import Event, WebhookEventTrigger

from orders import services as order_services
from orders.models import Order, OrderStatus
from payments.stripe_api import secret_key
from tests.payments.helpers import accepted, checkout_order, event_count, pay_intent_in_stripe, stripe_ids
from tests.stripe_support import event_body, post_event, sign, stored_event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "tamper",
    [
        {"amount": 100, "amount_received": 100},
        {"currency": "usd"},
    ],
    ids=["amount", "currency"],
)
def test_a_success_whose_amount_or_currency_does_not_match_flags_the_order_and_never_marks_it_paid(
    replay, order, tamper
):
    intent = pay_intent_in_stripe(order)

    def tampered(event):
        event["data"]["object"].update(tamper)

    response, _ = replay("payment_intent.succeeded", order, intent, change=tampered)

    accepted(response, order)
    assert order.status == OrderStatus.PENDING and order.paid_at is None
    assert order.payment_flag.startswith("Montant reçu")
    assert event_count(order, "payment_flagged") == 1 and event_count(order, "payment_succeeded") == 0
    assert mail.outbox == []


def test_a_success_for_another_payment_intent_with_the_right_amount_flags_the_order_and_leaves_it_pending(
    client, replay, order, django_capture_on_commit_callbacks
):
    """Another order's PaymentIntent (same offer: same amount and currency), paid for real, reported under
    this order's metadata: the money is not this order's."""
    other, _ = checkout_order(client, email="autre.client@example.com")
    other_intent = pay_intent_in_stripe(other)
    assert (other_intent.amount, other_intent.currency) == (order.amount, order.currency)
    ids = {**stripe_ids(other, other_intent), "order_id": str(order.pk), "order_number": order.number}
    event = stored_event("payment_intent.succeeded", ids=ids)
    assert event["data"]["object"]["metadata"]["lumira_order_id"] == str(order.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, replay.endpoint, event)

    accepted(response, order)
    assert order.status == OrderStatus.PENDING and order.paid_at is None
    assert order.payment_flag.startswith(f"Paiement {other_intent.id} reçu")
    assert event_count(order, "payment_flagged") == 1 and event_count(order, "payment_succeeded") == 0
    assert mail.outbox == []


def test_a_success_stripe_does_not_confirm_is_flagged(replay, order):
    """A (signed) success event while the API still says the intent is unpaid: not paid, flagged."""
    intent = stripe.PaymentIntent.retrieve(order.stripe_payment_intent_id, api_key=secret_key())

    response, _ = replay("payment_intent.succeeded", order, intent)

    accepted(response, order)
    assert order.status == OrderStatus.PENDING and "requires_payment_method" in order.payment_flag


def test_money_taken_for_a_canceled_order_is_flagged_for_a_refund(replay, order):
    intent = pay_intent_in_stripe(order)
    order_services.order_cancel(order_id=order.pk, note="expirée")

    response, _ = replay("payment_intent.succeeded", order, intent)

    accepted(response, order)
    assert order.status == OrderStatus.CANCELED
    assert order.payment_flag == "Paiement reçu alors que la commande est « Annulée »."


def test_an_event_signed_with_another_secret_is_refused_and_changes_nothing(replay, order):
    intent = pay_intent_in_stripe(order)

    response, event = replay("payment_intent.succeeded", order, intent, secret="whsec_wrong")

    assert response.status_code == 400
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING
    assert not Event.objects.filter(id=event["id"]).exists()
    assert WebhookEventTrigger.objects.get().valid is False


def test_an_event_without_signature_is_refused_and_not_even_stored(replay, order):
    intent = pay_intent_in_stripe(order)

    response, _ = replay("payment_intent.succeeded", order, intent, signature="")

    assert response.status_code == 400
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING
    assert not WebhookEventTrigger.objects.exists()


def test_a_signed_event_replayed_later_than_the_tolerance_is_refused(replay, order):
    intent = pay_intent_in_stripe(order)
    ten_minutes_ago = int(time.time()) - 600

    response, _ = replay("payment_intent.succeeded", order, intent, timestamp=ten_minutes_ago)

    assert response.status_code == 400
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING


def test_a_body_changed_after_signing_is_refused(client, webhook_endpoint, order):
    intent = pay_intent_in_stripe(order)
    event = stored_event("payment_intent.succeeded", ids=stripe_ids(order, intent))
    signature = sign(event_body(event), webhook_endpoint.secret)
    event["data"]["object"]["amount"] = 100

    response = post_event(client, webhook_endpoint, event, signature=signature)

    assert response.status_code == 400
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING


def test_the_debug_secret_header_is_ignored_outside_debug(replay, order, settings):
    settings.DEBUG = False
    intent = pay_intent_in_stripe(order)

    response, _ = replay(
        "payment_intent.succeeded", order, intent, secret="whsec_attacker", HTTP_X_DJSTRIPE_WEBHOOK_SECRET="whsec_attacker"
    )

    assert response.status_code == 400
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING


def test_an_event_for_an_order_lumira_does_not_know_is_accepted_and_ignored(replay, order):
    intent = pay_intent_in_stripe(order)

    def foreign(event):
        event["data"]["object"]["metadata"] = {"lumira_order_id": "00000000-0000-0000-0000-000000000000"}

    response, _ = replay("payment_intent.succeeded", order, intent, change=foreign)

    assert response.status_code == 200
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING


def test_an_unknown_endpoint_uuid_is_a_404(replay, order):
    intent = pay_intent_in_stripe(order)

    response, _ = replay("payment_intent.succeeded", order, intent, endpoint_uuid="00000000-0000-0000-0000-000000000000")

    assert response.status_code == 404
