"""POST /api/payments/create-payment-intent: the pending order and its PaymentIntent, priced from the offer."""

from datetime import timedelta

import pytest
import stripe
from django.contrib.auth import get_user_model
from djstripe.models import PaymentIntent as StripePaymentIntent

from accounts.models import Expert
from accounts.sessions import PAID_ORDERS_SESSION_KEY
from orders.models import Offer, Order, OrderStatus
from tests.factories import ExpertFactory, offer
from tests.payments.helpers import CREATE_URL, ORDER_FORM, checkout_order, create_checkout, retrieve_intent

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_a_client_order_creates_a_pending_order_and_a_payment_intent_priced_from_the_offer(
    client, stripe_account, intuitive_premium
):
    response = create_checkout(client)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"clientSecret", "orderId", "amount", "currency", "setupClientSecret"}
    assert (body["amount"], body["currency"]) == (7900, "eur")
    order = Order.objects.get(pk=body["orderId"])
    assert order.status == OrderStatus.PENDING
    assert (order.amount, order.currency, order.duration, order.offer) == (7900, "eur", 60, intuitive_premium)
    assert order.client.email == "camille.lune@example.com" and order.client.get_full_name() == "Camille Lune"
    assert order.client_phone == "06 12 34 56 78"
    assert not order.client.has_usable_password()

    intent = retrieve_intent(order.stripe_payment_intent_id)
    assert body["clientSecret"] == intent.client_secret
    assert (intent.amount, intent.currency, intent.status) == (7900, "eur", "requires_payment_method")
    assert intent.metadata["lumira_order_id"] == str(order.pk)
    assert intent.metadata["lumira_order_number"] == order.number
    assert body["setupClientSecret"].startswith("seti_")
    # dj-stripe keeps its own copy, which the status API reads.
    assert StripePaymentIntent.objects.get(id=intent.id).stripe_data["status"] == "requires_payment_method"
    assert client.session[PAID_ORDERS_SESSION_KEY] == [str(order.pk)]


def test_the_payment_intent_is_created_with_an_idempotency_key_derived_from_the_order(
    client, stripe_account, intuitive_premium, monkeypatch
):
    calls = []
    real_create = stripe.PaymentIntent.create

    def spy(**kwargs):
        calls.append(kwargs)
        return real_create(**kwargs)

    monkeypatch.setattr(stripe.PaymentIntent, "create", spy)

    order, _ = checkout_order(client)

    assert len(calls) == 1
    assert calls[0]["idempotency_key"] == f"lumira-order-{order.pk}-payment-intent"
    assert calls[0]["amount"] == 7900 and calls[0]["metadata"]["lumira_order_id"] == str(order.pk)


def test_a_price_sent_by_the_browser_is_ignored(client, stripe_account, intuitive_premium):
    order, body = checkout_order(client, amount=100, price=1, currency="usd", price_cents=5, duration=999)

    assert body["amount"] == 7900 and body["currency"] == "eur"
    assert (order.amount, order.currency, order.duration) == (7900, "eur", 60)
    assert retrieve_intent(order.stripe_payment_intent_id).amount == 7900


def test_every_offer_is_charged_exactly_its_database_price(client, stripe_account, settings):
    settings.PAYMENTS_CREATE_RATE = "100/m"
    offer()  # seeds the catalogue
    Offer.objects.filter(level=3, service="vip").update(price_cents=15100)

    for item in Offer.objects.all():
        order, body = checkout_order(client, level=item.level_slug, service=item.service, amount=1)
        intent = retrieve_intent(order.stripe_payment_intent_id)
        assert order.amount == body["amount"] == intent.amount == item.price_cents, item.name

    assert Order.objects.get(level=3, service="vip").amount == 15100


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"level": "platine"}, "level"),
        ({"service": "gold"}, "service"),
        ({"level": ""}, "level"),
        ({"level": None}, "level"),
    ],
)
def test_an_unknown_offer_is_refused_with_400_and_creates_nothing(client, stripe_account, intuitive_premium, changes, field):
    response = create_checkout(client, **changes)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert field in response.json()["error"]["fields"]
    assert not Order.objects.exists() and not User.objects.filter(email=ORDER_FORM["email"]).exists()


def test_an_inactive_offer_is_refused_with_400_and_creates_nothing(client, stripe_account, intuitive_premium):
    intuitive_premium.is_active = False
    intuitive_premium.save()

    response = create_checkout(client)

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["service"] == ["La formule Premium du niveau Intuitive n'est pas disponible."]
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        # The client's details.
        ({"email": "pas-une-adresse"}, "email", "Saisissez une adresse e-mail valide."),
        ({"email": ""}, "email", "Ce champ ne peut être vide."),
        ({"name": ""}, "name", "Ce champ ne peut être vide."),
        ({"phone": "appelez-moi"}, "phone", "Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78."),
        ({"phone": "12"}, "phone", "Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78."),
        # The intake (birth data), checked by the intake form the profile page shares.
        ({"birthDate": "2999-01-01"}, "birthDate", "futur"),
        ({"birthDate": "1899-12-31"}, "birthDate", "entre 1900 et 2050"),
        ({"birthDate": "2051-01-01"}, "birthDate", "futur"),
        ({"birthDate": "2001-02-30"}, "birthDate", "n'existe pas"),
        ({"birthDate": "2021-03-28", "birthTime": "02:30"}, "birthTime", "heure d'été"),
        ({"birthPlace": "Saint-Denis"}, "birthPlace", "« Saint-Denis (La Réunion) »"),
        ({"birthPlace": "Zzyzxqq"}, "birthPlace", "introuvable"),
        ({"birthTime": "25:99"}, "birthTime", "HH:MM"),
        ({"objective": 123}, "objective", "invalide"),  # a number is not text (found by schemathesis)
        ({"birthDate": 19850321}, "birthDate", "invalide"),
    ],
)
def test_bad_client_details_or_birth_data_are_a_french_error_on_their_field_and_create_no_order(
    client, stripe_account, intuitive_premium, changes, field, words
):
    response = create_checkout(client, **changes)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == [field]
    assert words in " ".join(error["fields"][field])
    assert not Order.objects.exists()


def test_missing_fields_are_all_reported(client, stripe_account):
    response = client.post(CREATE_URL, {}, content_type="application/json")

    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"level", "service", "email", "name", "phone", "withdrawalWaiver"}
    assert fields["email"] == ["Ce champ est obligatoire."]


@pytest.mark.parametrize("waiver", [None, False, "non"], ids=["absent", "false", "not-a-boolean"])
def test_an_order_without_the_withdrawal_waiver_is_refused_with_a_field_error_and_nothing_is_created(
    client, stripe_account, intuitive_premium, waiver
):
    body = {key: value for key, value in ORDER_FORM.items() if key != "withdrawalWaiver"}
    if waiver is not None:
        body["withdrawalWaiver"] = waiver

    response = client.post(CREATE_URL, body, content_type="application/json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert list(error["fields"]) == ["withdrawalWaiver"]
    if waiver != "non":
        assert error["fields"]["withdrawalWaiver"][0].startswith("Cochez la case pour demander la livraison")
    assert not Order.objects.exists() and not User.objects.filter(email=ORDER_FORM["email"]).exists()


def test_the_withdrawal_waiver_is_recorded_on_the_order_with_its_time_and_in_the_creation_event(
    client, stripe_account, intuitive_premium
):
    order, _ = checkout_order(client)

    assert order.withdrawal_waived_at is not None
    assert order.withdrawal_waived_at <= order.created_at + timedelta(seconds=5)
    created = order.events.get(action="created")
    assert "renonciation" in created.note and "L221-28" in created.note


def test_a_body_that_is_not_json_is_a_400_in_the_api_error_shape(client, stripe_account):
    response = client.post(CREATE_URL, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()["error"]) >= {"code", "message"}


def test_the_chosen_expert_is_kept_on_the_order(client, stripe_account, intuitive_premium, expert):
    order, _ = checkout_order(client, expertId=expert.pk)
    assert order.expert == expert and order.assigned_at is not None


@pytest.mark.parametrize("expert_id", ["inactive", 999999])
def test_an_unknown_or_inactive_expert_is_refused(client, stripe_account, intuitive_premium, expert_id):
    if expert_id == "inactive":
        expert_id = ExpertFactory(is_active=False).pk

    response = create_checkout(client, expertId=expert_id)

    assert response.status_code == 400
    assert "expertId" in response.json()["error"]["fields"]
    assert not Order.objects.exists()


def test_any_expert_leaves_the_order_unassigned(client, stripe_account, intuitive_premium):
    order, _ = checkout_order(client, expertId=None)
    assert order.expert is None and Expert.objects.count() == 0


def test_a_returning_client_keeps_one_account_for_several_orders(client, stripe_account, intuitive_premium):
    first, _ = checkout_order(client)
    second, _ = checkout_order(client, email="Camille.Lune@Example.com")

    assert first.client == second.client
    assert User.objects.filter(email="camille.lune@example.com").count() == 1
    assert client.session[PAID_ORDERS_SESSION_KEY] == [str(first.pk), str(second.pk)]
    assert retrieve_intent(first.stripe_payment_intent_id).customer == retrieve_intent(second.stripe_payment_intent_id).customer


def test_when_stripe_is_unreachable_the_client_gets_a_503_and_no_pending_order_is_left(
    client, stripe_account, intuitive_premium, settings, monkeypatch
):
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"

    response = create_checkout(client)

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "payment_unavailable"
    assert "indisponible" in response.json()["error"]["message"]
    order = Order.objects.get()
    assert order.status == OrderStatus.CANCELED
    assert order.events.filter(action="canceled").count() == 1
    assert PAID_ORDERS_SESSION_KEY not in client.session


def test_too_many_orders_from_one_address_are_refused_with_429(client, stripe_account, intuitive_premium, settings):
    settings.PAYMENTS_CREATE_RATE = "2/h"  # a per-minute window could reset between two slow checkouts
    assert create_checkout(client).status_code == 201
    assert create_checkout(client).status_code == 201

    response = create_checkout(client)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert Order.objects.count() == 2


def test_get_is_not_allowed(client, stripe_account):
    assert client.get(CREATE_URL).status_code == 405
