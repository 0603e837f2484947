"""What the bench seed gives the bench: payable pending orders, its named subjects at any size, dj-stripe's account."""

import io

import pytest
from django.db import connection
from djstripe.models import Account, APIKey

from bench.seed import seed
from bench.stripe_standin import payment_intent
from bench.subjects import ADMIN_EXPERT, DESK_EXPERT, HEAVY_CLIENT, LIGHT_CLIENT, model_named
from orders.models import ContentVersion, Order, OrderStatus
from payments.stripe_api import LOCAL_ACCOUNT_ID
from sanctuaire.selectors import profile_is_complete


@pytest.mark.django_db
def test_the_seed_gives_each_pending_order_a_payment_intent_the_standin_answers_for_that_order():
    seed(orders=300, experts=3, clients=20, heavy_client_orders=50, stdout=io.StringIO())

    pending = list(Order.objects.filter(status=OrderStatus.PENDING))
    intents = [payment_intent(order.stripe_payment_intent_id) for order in pending]
    heavy_client = Order.objects.filter(number="LUB00000000").get().client

    assert pending and all(intents)
    assert all(
        (intent["amount"], intent["currency"], intent["metadata"]["lumira_order_id"]) == (o.amount, o.currency, str(o.pk))
        for intent, o in zip(intents, pending, strict=True)
    )
    assert heavy_client.email == HEAVY_CLIENT and profile_is_complete(heavy_client)
    assert APIKey.objects.filter(djstripe_owner_account_id=LOCAL_ACCOUNT_ID).exists()
    assert Account.objects.filter(id=LOCAL_ACCOUNT_ID).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("orders", [60, 400])
def test_the_seed_creates_the_scenarios_subjects_whatever_the_size(orders):
    seed(orders=orders, experts=4, heavy_client_orders=50, stdout=io.StringIO())
    Expert = model_named("Expert")

    assert Order.objects.count() == orders
    assert Order.objects.filter(client__email=HEAVY_CLIENT).count() >= 50
    light = Order.objects.get(client__email=LIGHT_CLIENT)  # exactly one order, delivered, readable
    assert light.status == OrderStatus.COMPLETED and light.generated_content["archetype"] == "La Prêtresse"
    assert profile_is_complete(light.client) and light.birth_place == "Lyon"
    assert Expert.objects.get(user__email=DESK_EXPERT).role == "expert"
    assert Expert.objects.get(user__email=ADMIN_EXPERT).role == "admin"
    waiting = Order.objects.filter(status=OrderStatus.AWAITING_VALIDATION)
    assert ContentVersion.objects.filter(order__in=waiting).count() == waiting.count()


@pytest.mark.django_db
def test_the_seed_spreads_orders_over_statuses_and_refuses_a_database_that_has_orders():
    seed(orders=400, experts=4, clients=30, heavy_client_orders=50, stdout=io.StringIO())

    assert set(Order.objects.values_list("status", flat=True)) == set(OrderStatus.values)
    with pytest.raises(RuntimeError, match="already has orders"):
        seed(orders=10, experts=1, clients=1, stdout=io.StringIO())


@pytest.mark.django_db
def test_the_seed_builds_back_every_index_it_drops_for_the_load():
    def indexes() -> set[str]:
        with connection.cursor() as cursor:
            return set(connection.introspection.get_constraints(cursor, Order._meta.db_table))

    before = indexes()
    seed(orders=50, experts=2, stdout=io.StringIO())

    assert indexes() == before
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
