"""What the bench seed gives the bench: payable pending orders, a dashboard client, dj-stripe's account."""

import pytest
from django.core.management import call_command
from djstripe.models import Account, APIKey

from bench.stripe_standin import payment_intent
from orders.models import Order, OrderStatus
from payments.stripe_api import LOCAL_ACCOUNT_ID
from sanctuaire.selectors import profile_is_complete


@pytest.mark.django_db
def test_the_seed_gives_each_pending_order_a_payment_intent_the_standin_answers_for_that_order():
    call_command("seed_bench_data", orders=300, experts=3, clients=20, heavy_client_orders=50, verbosity=0)

    pending = list(Order.objects.filter(status=OrderStatus.PENDING))
    intents = [payment_intent(order.stripe_payment_intent_id) for order in pending]
    heavy_client = Order.objects.filter(number="LUB00000000").get().client

    assert pending and all(intents)
    assert all(
        (intent["amount"], intent["currency"], intent["metadata"]["lumira_order_id"]) == (o.amount, o.currency, str(o.pk))
        for intent, o in zip(intents, pending, strict=True)
    )
    assert heavy_client.email == "bench-client-0@example.com" and profile_is_complete(heavy_client)
    assert APIKey.objects.filter(djstripe_owner_account_id=LOCAL_ACCOUNT_ID).exists()
    assert Account.objects.filter(id=LOCAL_ACCOUNT_ID).exists()
