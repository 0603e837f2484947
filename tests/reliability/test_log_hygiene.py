"""Logs never carry card data, secrets or magic-link tokens: real flows (magic-link request and sign-in, the
token exchange, create-payment-intent and card confirmation against localstripe, a signed webhook, expert
sign-in on the desk and the API) run with every logger at DEBUG, then the captured logs are searched for
every secret those flows handled."""

import json
import logging
import re
from urllib.parse import unquote

import pytest
import stripe
from django.conf import settings
from django.core import mail
from django.test import Client

from orders.models import Order
from payments.stripe_api import local_account_ensure, secret_key
from payments.webhooks import webhook_endpoint_register
from tests.factories import UserFactory, offer
from tests.payments.helpers import ORDER_FORM, stripe_ids
from tests.stripe_support import post_event, stored_event

pytestmark = pytest.mark.django_db

CARD = "4242424242424242"


def _written(records) -> str:
    """What the configured console handler (LOGGING: redaction filter, then formatter) writes for these records."""
    console = next(handler for handler in logging.getLogger().handlers if handler.get_name() == "console")
    return "\n".join(console.format(record) for record in records if console.filter(record))


class RawMessages(logging.Handler):
    """Every record's message as logged, before any handler's filter (the console's redaction) sees it."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def raw_logs():
    handler = RawMessages()
    root = logging.getLogger()
    root.handlers.insert(0, handler)
    yield handler
    root.removeHandler(handler)


def _magic_token(browser: Client, email: str, capture) -> str:
    with capture(execute=True):
        browser.post("/sanctuaire/connexion/", {"email": email})
    return unquote(re.search(r"sesame=([^\s&\"'<]+)", mail.outbox[-1].body)[1])


def test_real_flows_logged_at_debug_leave_no_token_secret_jwt_or_card_number(
    caplog, raw_logs, stripe_api, django_capture_on_commit_callbacks, expert
):
    caplog.set_level(logging.DEBUG)  # every logger, the stripe client's and Django's included
    secrets: dict[str, str] = {}

    # Magic link: requested, opened, spent in the browser; a second one exchanged for JWTs by the API.
    client_user = UserFactory(email="camille.lune@example.com")
    browser = Client()
    token = _magic_token(browser, client_user.email, django_capture_on_commit_callbacks)
    assert browser.get(f"/sanctuaire/connexion/lien/?sesame={token}", follow=True).status_code == 200
    assert browser.post("/sanctuaire/connexion/lien/").status_code == 302
    secrets["magic-link token"] = token
    token = _magic_token(Client(), client_user.email, django_capture_on_commit_callbacks)
    pair = Client().post("/api/sanctuaire/token", {"token": token}, content_type="application/json").json()
    secrets |= {"second magic-link token": token, "client access JWT": pair["access"], "client refresh JWT": pair["refresh"]}

    # An order paid by card: PaymentIntent and SetupIntent client secrets, the card, the webhook secret.
    local_account_ensure()
    endpoint = webhook_endpoint_register(base_url="http://127.0.0.1:9").endpoint
    offer(2, "premium")
    created = Client().post("/api/payments/create-payment-intent", ORDER_FORM, content_type="application/json").json()
    setup = stripe_api.confirm_setup_intent(created["setupClientSecret"], CARD)
    confirmed = Client().post("/api/payments/confirm-payment", {"orderId": created["orderId"], "setupIntentId": setup["id"]},
                              content_type="application/json")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "succeeded"
    order = Order.objects.get(pk=created["orderId"])
    intent = stripe.PaymentIntent.retrieve(order.stripe_payment_intent_id, api_key=secret_key())
    with django_capture_on_commit_callbacks(execute=True):
        webhook = post_event(Client(), endpoint, stored_event("payment_intent.succeeded", ids=stripe_ids(order, intent)))
    assert webhook.status_code == 200
    order.refresh_from_db()
    assert order.status == "paid"
    secrets |= {"PaymentIntent client secret": created["clientSecret"], "SetupIntent client secret": created["setupClientSecret"],
                "webhook secret": endpoint.secret, "card number": CARD, "card number, spaced": "4242 4242 4242 4242"}

    # An expert signs in on the desk and on the API.
    desk = Client().post("/desk/login/", {"email": expert.email, "password": "expert-password-123"})
    assert desk.status_code == 302
    login = Client().post("/api/expert/login", {"email": expert.email, "password": "expert-password-123"},
                          content_type="application/json").json()
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {login['access']}").get("/api/expert/orders")
    assert bearer.status_code == 200
    secrets |= {"expert password": "expert-password-123", "expert access JWT": login["access"],
                "expert refresh JWT": login["refresh"]}
    # And the configuration's own secrets.
    secrets |= {"Stripe secret key": settings.STRIPE_TEST_SECRET_KEY, "Django SECRET_KEY": settings.SECRET_KEY,
                "n8n webhook secret": settings.N8N_WEBHOOK_SECRET, "n8n callback secret": settings.N8N_CALLBACK_SECRET}

    written = _written(caplog.records)
    leaks = sorted(name for name, value in secrets.items() if value in written)
    assert not leaks, f"found in the logs: {leaks}"
    # Not even before redaction: nothing logs them in the first place (the Stripe client is kept at INFO).
    raw = "\n".join(raw_logs.messages)
    assert not sorted(name for name, value in secrets.items() if value in raw)
    assert len(caplog.records) > 30  # the flows did log (requests to Stripe, webhooks, sign-ins…)
    assert "[redacted" not in json.dumps(pair)  # the answers themselves are untouched
