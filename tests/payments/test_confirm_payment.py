"""POST /api/payments/confirm-payment and /setup-intent: the server pays the order with the browser's card.

The browser's Stripe.js step (confirmCardSetup) is replayed with the same request it sends to localstripe.
"""

import uuid

import pytest
import stripe
from djstripe.models import PaymentIntent as StripePaymentIntent

from orders import services as order_services
from orders.models import OrderStatus
from tests.payments.helpers import CONFIRM_URL, SETUP_URL, checkout_order, retrieve_intent

pytestmark = pytest.mark.django_db

VISA = "4242424242424242"
DECLINED = "4000000000000341"
THREE_D_SECURE = "4000002760003184"


def _setup_card(localstripe, setup_client_secret: str, number: str) -> str:
    setup = localstripe.confirm_setup_intent(setup_client_secret, number)
    assert setup["status"] == "succeeded", setup
    return setup["id"]


def _confirm(client, order, setup_intent_id: str):
    return client.post(CONFIRM_URL, {"orderId": str(order.pk), "setupIntentId": setup_intent_id}, content_type="application/json")


def test_a_valid_card_pays_the_order_payment_intent(client, localstripe, stripe_account, intuitive_premium):
    order, body = checkout_order(client)
    setup_id = _setup_card(localstripe, body["setupClientSecret"], VISA)

    response = _confirm(client, order, setup_id)

    assert response.status_code == 200
    assert response.json() == {"status": "succeeded", "orderId": str(order.pk), "redirectUrl": f"/commande/{order.pk}/"}
    intent = retrieve_intent(order.stripe_payment_intent_id)
    assert (intent.status, intent.amount) == ("succeeded", 7900)
    assert StripePaymentIntent.objects.get(id=intent.id).stripe_data["status"] == "succeeded"
    # The order is marked paid by Stripe's webhook (or reconciliation), not by the browser's word.
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


@pytest.mark.parametrize(("language", "message"), [
    (None, "Votre carte a été refusée. Aucun montant n'a été débité : essayez avec une autre carte."),
    ("en", "Your card was refused. No amount was charged: try another card."),
], ids=["french-by-default", "english-when-chosen"])
def test_a_declined_card_gets_a_402_in_the_clients_language_and_the_order_stays_pending(
    client, localstripe, stripe_account, intuitive_premium, language, message
):
    if language:
        client.cookies["django_language"] = language
    order, body = checkout_order(client)
    setup_id = _setup_card(localstripe, body["setupClientSecret"], DECLINED)

    response = _confirm(client, order, setup_id)

    assert response.status_code == 402
    assert response.json()["error"] == {"code": "card_declined", "message": message}
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING and order.paid_at is None
    assert retrieve_intent(order.stripe_payment_intent_id).status == "requires_payment_method"


def test_after_a_refusal_another_card_pays_the_same_order(client, localstripe, stripe_account, intuitive_premium):
    order, body = checkout_order(client)
    declined_intent = order.stripe_payment_intent_id
    assert _confirm(client, order, _setup_card(localstripe, body["setupClientSecret"], DECLINED)).status_code == 402

    renewed = client.post(SETUP_URL, {"orderId": str(order.pk)}, content_type="application/json")
    assert renewed.status_code == 201
    response = _confirm(client, order, _setup_card(localstripe, renewed.json()["setupClientSecret"], VISA))

    assert response.status_code == 200 and response.json()["status"] == "succeeded"
    order.refresh_from_db()
    # localstripe cannot retry a declined PaymentIntent: the failed one is canceled and a new one pays.
    assert order.stripe_payment_intent_id != declined_intent
    assert retrieve_intent(declined_intent).status == "canceled"
    paying = retrieve_intent(order.stripe_payment_intent_id)
    assert (paying.status, paying.amount, paying.metadata["lumira_order_id"]) == ("succeeded", 7900, str(order.pk))
    assert order.events.filter(action="payment_intent_replaced").count() == 1
    assert order.status == OrderStatus.PENDING


def test_a_card_asking_for_3d_secure_hands_the_client_secret_back_to_the_browser(
    client, localstripe, stripe_account, intuitive_premium
):
    order, body = checkout_order(client)
    setup = localstripe.confirm_setup_intent(body["setupClientSecret"], THREE_D_SECURE)
    assert setup["status"] == "requires_action"
    # Stripe.js completes the SetupIntent's own authentication in the browser (localstripe's dialog).
    assert localstripe.complete_setup_authentication(body["setupClientSecret"])["status"] == "succeeded"

    response = _confirm(client, order, setup["id"])

    assert response.status_code == 200
    assert response.json()["status"] == "requires_action"
    assert response.json()["clientSecret"] == retrieve_intent(order.stripe_payment_intent_id).client_secret


def test_a_setup_intent_of_another_order_cannot_pay_this_one(client, localstripe, stripe_account, intuitive_premium):
    order, _ = checkout_order(client)
    _, other_body = checkout_order(client, email="autre@example.com")
    other_setup = _setup_card(localstripe, other_body["setupClientSecret"], VISA)

    response = _confirm(client, order, other_setup)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_payment"
    assert retrieve_intent(order.stripe_payment_intent_id).status == "requires_payment_method"


def test_a_setup_intent_without_a_card_yet_is_refused(client, stripe_account, intuitive_premium):
    order, body = checkout_order(client)
    setup_id = body["setupClientSecret"].split("_secret_")[0]

    response = _confirm(client, order, setup_id)

    assert response.status_code == 400
    assert response.json()["error"]["message"] == "La carte n'a pas encore été validée."


def test_an_unknown_setup_intent_is_refused(client, stripe_account, intuitive_premium):
    order, _ = checkout_order(client)
    response = _confirm(client, order, "seti_doesnotexist")
    assert response.status_code == 400


def test_an_unknown_order_is_a_404(client, stripe_account):
    response = client.post(
        CONFIRM_URL, {"orderId": str(uuid.uuid4()), "setupIntentId": "seti_x"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Commande introuvable."


@pytest.mark.parametrize(
    "body",
    [{}, {"orderId": "not-a-uuid", "setupIntentId": "seti_x"}, {"orderId": str(uuid.uuid4()), "setupIntentId": "pi_x"}],
)
def test_malformed_requests_are_a_400(client, stripe_account, body):
    response = client.post(CONFIRM_URL, body, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


def test_a_canceled_order_cannot_be_paid_any_more(client, localstripe, stripe_account, intuitive_premium):
    order, body = checkout_order(client)
    setup_id = _setup_card(localstripe, body["setupClientSecret"], VISA)
    order_services.order_cancel(order_id=order.pk, note="expirée")

    response = _confirm(client, order, setup_id)

    assert response.status_code == 409
    assert retrieve_intent(order.stripe_payment_intent_id).status == "requires_payment_method"
    renew = client.post(SETUP_URL, {"orderId": str(order.pk)}, content_type="application/json")
    assert renew.status_code == 409


def test_confirming_an_order_already_paid_answers_succeeded_without_charging_again(client, stripe_account, intuitive_premium):
    order, _ = checkout_order(client)
    order_services.order_mark_paid(order_id=order.pk, payment_intent_id=order.stripe_payment_intent_id)

    response = _confirm(client, order, "seti_whatever")

    assert response.status_code == 200 and response.json()["status"] == "succeeded"
    assert retrieve_intent(order.stripe_payment_intent_id).status == "requires_payment_method"


def test_a_new_setup_intent_for_an_unknown_order_is_a_404(client, stripe_account):
    response = client.post(SETUP_URL, {"orderId": str(uuid.uuid4())}, content_type="application/json")
    assert response.status_code == 404


def test_get_is_not_allowed_on_the_payment_endpoints(client, stripe_account):
    assert client.get(CONFIRM_URL).status_code == 405
    assert client.get(SETUP_URL).status_code == 405


def test_a_confirmation_beaten_by_a_concurrent_one_reports_the_payment_instead_of_failing(
    client, localstripe, stripe_account, intuitive_premium, monkeypatch
):
    order, body = checkout_order(client)
    setup_id = _setup_card(localstripe, body["setupClientSecret"], VISA)
    real_confirm = stripe.PaymentIntent.confirm

    def confirmed_elsewhere_first(intent_id, **kwargs):
        real_confirm(intent_id, **kwargs)  # the other tab's request wins...
        raise stripe.InvalidRequestError("This PaymentIntent's status is succeeded.", param=None)  # ...ours is refused

    monkeypatch.setattr(stripe.PaymentIntent, "confirm", confirmed_elsewhere_first)

    response = _confirm(client, order, setup_id)

    assert response.status_code == 200 and response.json()["status"] == "succeeded"


def test_against_real_stripe_the_confirmation_asks_for_stripe_js_next_actions(
    client, localstripe, stripe_account, intuitive_premium, monkeypatch
):
    order, body = checkout_order(client)
    setup_id = _setup_card(localstripe, body["setupClientSecret"], VISA)
    real_confirm = stripe.PaymentIntent.confirm
    sent = {}

    def confirm(intent_id, **kwargs):
        sent.update(kwargs)
        kwargs.pop("use_stripe_sdk", None)  # localstripe refuses it; Stripe requires it for server-side confirmation
        return real_confirm(intent_id, **kwargs)

    monkeypatch.setattr("payments.checkout.is_localstripe", lambda: False)
    monkeypatch.setattr(stripe.PaymentIntent, "confirm", confirm)

    assert _confirm(client, order, setup_id).status_code == 200
    assert sent["use_stripe_sdk"] is True
    assert sent["idempotency_key"].startswith(f"lumira-confirm-{order.stripe_payment_intent_id}-pm_")
