"""Stored Stripe events (real payload shapes, tests/payments/events/) replayed through dj-stripe's real
webhook endpoint, signed with the endpoint's secret.

The objects the events name exist in localstripe (created by the real checkout, then paid, declined,
canceled or refunded there), because dj-stripe re-retrieves them from the API while processing. What Lumira
refuses or flags (signatures, amounts that do not match): test_webhook_trust.py.
"""


import pytest
import stripe
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import translation
from djstripe.models import Event, PaymentIntent

from orders.models import Order, OrderStatus
from payments.stripe_api import secret_key
from payments.stripe_reports import payment_failed
from tests.concurrency import all_at_once
from tests.payments.helpers import (
    accepted,
    checkout_order,
    decline_intent_in_stripe,
    event_count,
    pay_intent_in_stripe,
    stripe_ids,
)
from tests.stripe_support import post_event, stored_event

pytestmark = pytest.mark.django_db


def test_payment_succeeded_marks_the_order_paid_once_and_emails_the_client(replay, order):
    intent = pay_intent_in_stripe(order)

    response, event = replay("payment_intent.succeeded", order, intent)

    accepted(response, order)
    assert order.status == OrderStatus.PAID and order.paid_at is not None
    assert order.amount == 7900 and order.payment_flag == ""
    assert event_count(order, "payment_succeeded") == 1
    assert Event.objects.filter(id=event["id"], type="payment_intent.succeeded").exists()
    # dj-stripe re-retrieved the PaymentIntent from localstripe while processing the event.
    assert PaymentIntent.objects.get(id=intent.id).stripe_data["status"] == "succeeded"
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["camille.lune@example.com"]
    assert order.number in email.subject and "payée" in email.subject
    assert "79,00\u00a0€" in email.body and "Sanctuaire" in email.body


def test_the_same_event_delivered_twice_changes_nothing_the_second_time(
    replay, client, webhook_endpoint, order, django_capture_on_commit_callbacks
):
    intent = pay_intent_in_stripe(order)
    first, event = replay("payment_intent.succeeded", order, intent)
    paid_at = Order.objects.get(pk=order.pk).paid_at

    with django_capture_on_commit_callbacks(execute=True):
        second = post_event(client, webhook_endpoint, event)

    assert (first.status_code, second.status_code) == (200, 200)
    order.refresh_from_db()
    assert order.paid_at == paid_at
    assert event_count(order, "payment_succeeded") == 1
    assert Event.objects.filter(id=event["id"]).count() == 1
    assert len(mail.outbox) == 1


def test_a_second_success_event_for_the_same_payment_changes_nothing(replay, order):
    intent = pay_intent_in_stripe(order)
    replay("payment_intent.succeeded", order, intent)

    def another_id(event):
        event["id"] = "evt_3QLumHRwZ6sL9Fz01RetryAgain"

    response, _ = replay("payment_intent.succeeded", order, intent, change=another_id)

    assert response.status_code == 200
    assert event_count(order, "payment_succeeded") == 1 and len(mail.outbox) == 1


def test_a_declined_payment_is_recorded_and_the_order_stays_pending_for_another_card(replay, order):
    intent = decline_intent_in_stripe(order)

    response, _ = replay("payment_intent.payment_failed", order, intent)

    accepted(response, order)
    assert order.status == OrderStatus.PENDING and order.paid_at is None
    assert order.last_error == "Votre carte a été refusée. Aucun montant n'a été débité : essayez avec une autre carte."
    assert event_count(order, "payment_attempt_failed") == 1
    assert mail.outbox == []


def test_a_declined_payment_is_stored_in_french_whatever_language_is_active(replay, order):
    intent = decline_intent_in_stripe(order)

    # e.g. the reconciliation run from a page an English-speaking client is looking at
    with translation.override("en"):
        payment_failed(order=order, intent=intent, current=None, source="test")

    order.refresh_from_db()
    assert order.last_error == "Votre carte a été refusée. Aucun montant n'a été débité : essayez avec une autre carte."


@pytest.mark.parametrize(("declined_first", "event_type", "status", "action"), [
    (True, "payment_intent.payment_failed", OrderStatus.FAILED, "payment_failed"),
    (False, "payment_intent.canceled", OrderStatus.CANCELED, "canceled"),
], ids=["a-failure-on-it-fails-the-order", "its-cancellation-cancels-the-order"])
def test_an_intent_that_cannot_be_paid_any_more_closes_the_order(replay, order, declined_first, event_type, status, action):
    if declined_first:
        decline_intent_in_stripe(order)
    intent = stripe.PaymentIntent.cancel(order.stripe_payment_intent_id, api_key=secret_key())

    response, _ = replay(event_type, order, intent)

    accepted(response, order)
    assert order.status == status and order.closed_at is not None
    assert event_count(order, action) == 1


def test_the_cancellation_of_a_replaced_payment_intent_leaves_the_order_alone(replay, order):
    old_intent = stripe.PaymentIntent.cancel(order.stripe_payment_intent_id, api_key=secret_key())
    Order.objects.filter(pk=order.pk).update(stripe_payment_intent_id="pi_replacement")

    response, _ = replay("payment_intent.canceled", order, old_intent)

    assert response.status_code == 200
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING


def test_a_full_refund_refunds_the_paid_order_and_withdraws_its_access(replay, order):
    intent = pay_intent_in_stripe(order)
    replay("payment_intent.succeeded", order, intent)
    stripe.Refund.create(payment_intent=intent.id, api_key=secret_key())

    response, _ = replay("charge.refunded", order, intent)

    accepted(response, order)
    assert order.status == OrderStatus.REFUNDED and order.refunded_at is not None
    assert not Order.objects.with_access().filter(pk=order.pk).exists()
    assert event_count(order, "refunded") == 1


def test_a_partial_refund_is_flagged_for_staff_and_keeps_the_order_paid(replay, order):
    intent = pay_intent_in_stripe(order)
    replay("payment_intent.succeeded", order, intent)
    stripe.Refund.create(payment_intent=intent.id, amount=1000, api_key=secret_key())

    def partial(event):
        event["data"]["object"].update(amount_refunded=1000, refunded=False)

    response, _ = replay("charge.refunded", order, intent, change=partial)

    accepted(response, order)
    assert order.status == OrderStatus.PAID
    assert order.payment_flag == "Remboursement partiel : 1000 eur."


def test_a_late_failure_after_the_success_changes_nothing(replay, order):
    """Out of order: Stripe delivers an earlier attempt's failure after the success."""
    intent = pay_intent_in_stripe(order)
    replay("payment_intent.succeeded", order, intent)

    response, _ = replay("payment_intent.payment_failed", order, intent)

    accepted(response, order)
    assert order.status == OrderStatus.PAID and order.last_error == ""
    assert event_count(order, "payment_succeeded") == 1
    assert event_count(order, "payment_attempt_failed") == 0 and event_count(order, "payment_failed") == 0


def test_a_refund_delivered_before_the_success_ends_refunded_with_each_transition_once(replay, order):
    """Out of order: charge.refunded arrives first, payment_intent.succeeded after it."""
    intent = pay_intent_in_stripe(order)
    stripe.Refund.create(payment_intent=intent.id, api_key=secret_key())

    refund, _ = replay("charge.refunded", order, intent)
    success, _ = replay("payment_intent.succeeded", order, intent)

    assert (refund.status_code, success.status_code) == (200, 200)
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert event_count(order, "payment_succeeded") == 1 and event_count(order, "refunded") == 1
    assert mail.outbox == []  # no "your order is paid" for an order already refunded


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_of_the_same_event_racing_mark_the_order_paid_once(localstripe, intuitive_premium):
    assert connection.vendor == "postgresql"
    from payments.stripe_api import local_account_ensure
    from payments.webhooks import webhook_endpoint_register

    local_account_ensure()
    endpoint = webhook_endpoint_register(base_url="http://127.0.0.1:9").endpoint
    order = checkout_order(Client())[0]
    intent = pay_intent_in_stripe(order)
    event = stored_event("payment_intent.succeeded", ids=stripe_ids(order, intent))
    responses = all_at_once([lambda: post_event(Client(), endpoint, event)] * 2)

    assert sorted(response.status_code for response in responses) == [200, 200]
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
    assert event_count(order, "payment_succeeded") == 1
    assert len(mail.outbox) == 1


def test_a_returning_client_profile_fills_the_new_order_inputs_when_it_is_paid(replay, client, stripe_account,
                                                                             intuitive_premium):
    from tests.payments.helpers import NO_INTAKE
    from tests.sanctuaire.conftest import complete_profile

    order, _ = checkout_order(client, **NO_INTAKE)  # ordered without the intake: the profile fills it
    complete_profile(order.client, birth_place="Nantes, France", question="Quel chemin ?")
    intent = pay_intent_in_stripe(order)

    replay("payment_intent.succeeded", order, intent)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert (order.birth_place, order.question) == ("Nantes, France", "Quel chemin ?")
