"""Reconciliation and expiry: pending orders checked against Stripe (localstripe), missed webhooks healed."""

from datetime import timedelta
from io import StringIO

import pytest
import stripe
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from orders.models import Order, OrderStatus
from payments import tasks
from payments.stripe_api import secret_key
from tests.payments.helpers import checkout_order, decline_intent_in_stripe, pay_intent_in_stripe, retrieve_intent

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkout(client, stripe_account, intuitive_premium):
    def make(age: timedelta, **changes) -> Order:
        order, _ = checkout_order(client, **changes)
        Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - age)
        order.refresh_from_db()
        return order

    return make


def _run(command: str, *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_reconcile_payments_heals_an_order_whose_webhook_never_came(checkout, django_capture_on_commit_callbacks):
    order = checkout(timedelta(minutes=15))
    pay_intent_in_stripe(order)  # Stripe took the money; the webhook was lost (delivered nowhere)

    with django_capture_on_commit_callbacks(execute=True):
        output = _run("reconcile_payments")

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_at is not None
    assert order.events.filter(action="payment_succeeded").count() == 1
    assert f"{order.number} ({order.stripe_payment_intent_id}): paid" in output
    assert "paid: 1" in output
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [order.client_email]


def test_reconciling_twice_changes_nothing_the_second_time(checkout, django_capture_on_commit_callbacks):
    order = checkout(timedelta(minutes=15))
    pay_intent_in_stripe(order)
    with django_capture_on_commit_callbacks(execute=True):
        _run("reconcile_payments")
        second = _run("reconcile_payments")

    assert "nothing to do" in second
    assert order.events.filter(action="payment_succeeded").count() == 1 and len(mail.outbox) == 1


def test_recent_pending_orders_are_left_to_their_webhook(checkout):
    order = checkout(timedelta(minutes=settings.PENDING_ORDER_RECONCILE_MINUTES - 2))
    pay_intent_in_stripe(order)

    output = _run("reconcile_payments")

    assert "nothing to do" in output
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING


def test_reconcile_applies_a_canceled_intent_and_leaves_an_unpaid_one_pending(checkout):
    canceled = checkout(timedelta(minutes=30))
    stripe.PaymentIntent.cancel(canceled.stripe_payment_intent_id, api_key=secret_key())
    declined = checkout(timedelta(minutes=30), email="autre@example.com")
    decline_intent_in_stripe(declined)

    output = _run("reconcile_payments", "--older-than-minutes", "20")

    assert Order.objects.get(pk=canceled.pk).status == OrderStatus.CANCELED
    assert Order.objects.get(pk=declined.pk).status == OrderStatus.PENDING
    assert "canceled: 1" in output and "unchanged: 1" in output


def test_a_payment_that_does_not_match_the_order_is_flagged_not_paid(checkout):
    order = checkout(timedelta(minutes=15))
    stripe.PaymentIntent.modify(order.stripe_payment_intent_id, amount=100, api_key=secret_key())
    pay_intent_in_stripe(order)

    output = _run("reconcile_payments")

    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING and order.payment_flag.startswith("Montant reçu 100 eur")
    assert "flagged: 1" in output


def test_when_stripe_fails_the_order_is_counted_as_an_error_and_left_pending(checkout, settings, monkeypatch):
    order = checkout(timedelta(minutes=15))
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"

    output = _run("reconcile_payments")

    assert "error: 1" in output
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING


def test_the_beat_task_reconciles_like_the_command(checkout, django_capture_on_commit_callbacks):
    order = checkout(timedelta(minutes=15))
    pay_intent_in_stripe(order)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = tasks.reconcile_pending_payments.delay().get()

    assert outcome == {"paid": 1}
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
    assert settings.CELERY_BEAT_SCHEDULE["payments-reconcile-pending"]["task"] == tasks.reconcile_pending_payments.name


def test_expire_pending_orders_cancels_stale_orders_and_their_payment_intents(checkout):
    stale = checkout(timedelta(hours=settings.PENDING_ORDER_EXPIRY_HOURS + 1))
    recent = checkout(timedelta(hours=1), email="recent@example.com")

    output = _run("expire_pending_orders")

    stale.refresh_from_db()
    assert stale.status == OrderStatus.CANCELED and stale.closed_at is not None
    assert stale.events.get(action="canceled").note == f"Expirée : aucun paiement après {settings.PENDING_ORDER_EXPIRY_HOURS} h."
    assert retrieve_intent(stale.stripe_payment_intent_id).status == "canceled"
    assert Order.objects.get(pk=recent.pk).status == OrderStatus.PENDING
    assert f"{stale.number}: expired" in output


def test_a_stale_order_paid_at_the_last_minute_is_marked_paid_not_expired(checkout, django_capture_on_commit_callbacks):
    order = checkout(timedelta(hours=30))
    pay_intent_in_stripe(order)

    with django_capture_on_commit_callbacks(execute=True):
        output = _run("expire_pending_orders", "--older-than-hours", "24")

    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
    assert "paid: 1" in output and len(mail.outbox) == 1


def test_a_stale_order_without_payment_intent_is_expired(stripe_account):
    from tests.factories import create_order

    order = create_order()
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(days=3))

    tasks.expire_pending_orders.delay().get()

    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELED
