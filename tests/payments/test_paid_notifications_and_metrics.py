"""Issue 16 on the payment path: the expert the client chose is emailed once when the order is paid, and the
payment and webhook counters of /metrics move with the events (stored events through dj-stripe's endpoint)."""

import pytest
from django.core import mail
from django.urls import reverse
from prometheus_client import generate_latest

from lumira.metrics_view import process_registry
from orders.models import Order
from tests.factories import ExpertFactory
from tests.ops.test_metrics import sample
from tests.payments.helpers import checkout_order, decline_intent_in_stripe, pay_intent_in_stripe
from tests.stripe_support import post_event, stored_event

pytestmark = pytest.mark.django_db


def counter(name: str, **labels) -> float:
    return sample(generate_latest(process_registry()).decode(), name, **labels) or 0


@pytest.fixture
def oriane(db):
    return ExpertFactory(name="Oriane Lune", user__email="oriane@lumira.local")


def test_the_chosen_expert_is_emailed_once_when_the_order_is_paid_even_if_the_event_repeats(
    client, stripe_account, intuitive_premium, oriane, replay, webhook_endpoint,
    django_capture_on_commit_callbacks,
):
    order, _ = checkout_order(client, expertId=oriane.pk)
    intent = pay_intent_in_stripe(order)

    replay("payment_intent.succeeded", order, intent)
    replay("payment_intent.succeeded", order, intent, change=lambda event: event.update(id="evt_lumira_again"))

    to_expert = [email for email in mail.outbox if email.to == ["oriane@lumira.local"]]
    assert len(to_expert) == 1
    assert to_expert[0].subject == f"Une cliente vous a choisi · commande {order.number} payée"
    assert reverse("experts:order", args=[order.pk]) in to_expert[0].body
    assert [email.to for email in mail.outbox].count(["camille.lune@example.com"]) == 1


def test_without_a_chosen_expert_only_the_client_is_emailed(client, stripe_account, intuitive_premium, oriane,
                                                             replay):
    order, _ = checkout_order(client)

    replay("payment_intent.succeeded", order, pay_intent_in_stripe(order))

    assert [email.to for email in mail.outbox] == [["camille.lune@example.com"]]


def test_a_paid_webhook_counts_one_payment_and_one_processed_event_and_a_repeat_no_payment(
    client, stripe_account, intuitive_premium, replay,
):
    order, _ = checkout_order(client)
    intent = pay_intent_in_stripe(order)
    paid = counter("lumira_payments_total", outcome="succeeded")
    processed = counter("lumira_webhook_events_total", type="payment_intent.succeeded", outcome="processed")

    replay("payment_intent.succeeded", order, intent)
    replay("payment_intent.succeeded", order, intent, change=lambda event: event.update(id="evt_lumira_again"))

    assert Order.objects.get(pk=order.pk).status == "paid"
    assert counter("lumira_payments_total", outcome="succeeded") == paid + 1
    assert counter("lumira_webhook_events_total", type="payment_intent.succeeded", outcome="processed") == processed + 2


def test_a_declined_card_counts_a_failed_payment(client, stripe_account, intuitive_premium, replay):
    order, _ = checkout_order(client)
    failed = counter("lumira_payments_total", outcome="failed")

    replay("payment_intent.payment_failed", order, decline_intent_in_stripe(order))

    assert counter("lumira_payments_total", outcome="failed") == failed + 1


def test_a_badly_signed_delivery_counts_as_invalid(client, webhook_endpoint):
    event = stored_event("payment_intent.succeeded", ids={})
    invalid = counter("lumira_webhook_events_total", type="payment_intent.succeeded", outcome="invalid")

    response = post_event(client, webhook_endpoint, event, secret="whsec_not_the_right_one")

    assert response.status_code == 400
    assert counter("lumira_webhook_events_total", type="payment_intent.succeeded", outcome="invalid") == invalid + 1
