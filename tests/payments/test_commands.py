"""register_stripe_webhook and stripe_bootstrap: the webhook endpoint with its secret, at Stripe or localstripe."""

import queue
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
import stripe
from django.core.management import call_command
from djstripe.models import Account, APIKey, WebhookEndpoint

from payments.stripe_api import LOCAL_ACCOUNT_ID, secret_key
from payments.webhooks import ENABLED_EVENTS
from tests.payments.helpers import checkout_order, pay_intent_in_stripe

pytestmark = pytest.mark.django_db


def _run(command: str, **options) -> str:
    out = StringIO()
    call_command(command, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def receiver():
    """A throwaway HTTP server on a free local port that records what localstripe delivers."""
    received: queue.Queue = queue.Queue()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.put((self.path, dict(self.headers), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.received = received
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def test_stripe_bootstrap_seeds_the_account_and_the_webhook_endpoint_idempotently(stripe_api):
    first = _run("stripe_bootstrap", base_url="http://127.0.0.1:9")
    second = _run("stripe_bootstrap", base_url="http://127.0.0.1:9")

    assert Account.objects.get().id == LOCAL_ACCOUNT_ID
    key = APIKey.objects.get()
    assert key.secret == secret_key() and key.djstripe_owner_account_id == LOCAL_ACCOUNT_ID
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 30
    assert endpoint.enabled_events == ENABLED_EVENTS
    assert endpoint.url == f"http://127.0.0.1:9/stripe/webhook/{endpoint.djstripe_uuid}/"
    assert "created" in first and "already present" in second
    assert f"localstripe ({stripe_api.url})" in first


def test_registering_again_with_another_base_url_moves_the_endpoint_and_keeps_its_secret(stripe_account):
    _run("register_stripe_webhook", base_url="http://127.0.0.1:9")
    before = WebhookEndpoint.objects.get()

    _run("register_stripe_webhook", base_url="http://127.0.0.1:10/")

    after = WebhookEndpoint.objects.get()
    assert (after.secret, after.djstripe_uuid) == (before.secret, before.djstripe_uuid)
    assert after.url == f"http://127.0.0.1:10/stripe/webhook/{after.djstripe_uuid}/"


def test_localstripe_delivers_signed_events_to_the_registered_url(client, stripe_account, intuitive_premium, receiver):
    _run("register_stripe_webhook", base_url=receiver.url)
    endpoint = WebhookEndpoint.objects.get()
    order, _ = checkout_order(client)

    pay_intent_in_stripe(order)

    # localstripe may still be delivering an earlier test's events: skip to this order's success.
    for _ in range(10):
        path, headers, body = receiver.received.get(timeout=10)
        assert path == f"/stripe/webhook/{endpoint.djstripe_uuid}/"
        event = stripe.Webhook.construct_event(body, headers["Stripe-Signature"], endpoint.secret)
        if event["data"]["object"].get("metadata", {}).get("lumira_order_id") == str(order.pk):
            break
    assert event["type"] == "payment_intent.succeeded"
    assert event["data"]["object"]["metadata"]["lumira_order_id"] == str(order.pk)


def test_against_real_stripe_the_endpoint_is_created_through_the_api_once(stripe_account, monkeypatch):
    # Stripe's answer is stubbed (no traffic leaves the machine); everything else is the real code path.
    monkeypatch.setattr("payments.webhooks.is_localstripe", lambda: False)
    monkeypatch.setattr("payments.management.commands.register_stripe_webhook.is_localstripe", lambda: False)
    calls = []

    def create(**kwargs):
        calls.append(kwargs)
        return stripe.WebhookEndpoint.construct_from(
            {
                "id": "we_1QLumHRwZ6sL9Fz0Webhook1", "object": "webhook_endpoint", "api_version": kwargs["api_version"],
                "application": None, "created": 1764072000, "description": None, "enabled_events": kwargs["enabled_events"],
                "livemode": False, "metadata": kwargs["metadata"], "secret": "whsec_fromStripe123", "status": "enabled",
                "url": kwargs["url"],
            },
            "sk_test",
        )

    monkeypatch.setattr(stripe.WebhookEndpoint, "create", create)

    output = _run("register_stripe_webhook", base_url="https://lumira.example")
    again = _run("register_stripe_webhook", base_url="https://lumira.example")

    endpoint = WebhookEndpoint.objects.get()
    assert len(calls) == 1
    assert calls[0]["url"] == f"https://lumira.example/stripe/webhook/{endpoint.djstripe_uuid}/"
    assert calls[0]["enabled_events"] == ENABLED_EVENTS
    assert endpoint.secret == "whsec_fromStripe123" and endpoint.id == "we_1QLumHRwZ6sL9Fz0Webhook1"
    assert "registered with Stripe" in output and "already present" in again


def test_a_registration_that_cannot_reach_localstripe_fails_clearly(stripe_account, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"

    with pytest.raises(Exception, match="Webhook registration failed"):
        _run("register_stripe_webhook", base_url="http://127.0.0.1:9")
