"""The bench's Stripe stand-in, and a bench webhook paying its order through dj-stripe's real endpoint."""

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests
from django.test import Client

from bench import webhooks
from bench.processes import free_port
from bench.stripe_standin import payment_intent, payment_intent_id
from orders.models import OrderEvent, OrderStatus
from orders.services import order_payment_intent_attach
from payments.stripe_api import local_account_ensure
from payments.webhooks import webhook_endpoint_register
from tests.factories import create_order

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def standin():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bench.stripe_standin", "--port", str(port)], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=5)


def test_a_payment_intent_is_rebuilt_from_its_id():
    order_id = uuid.uuid4()
    intent = payment_intent(payment_intent_id(order_id=order_id, amount=7900, currency="EUR"))

    assert intent["status"] == "succeeded" and intent["amount"] == intent["amount_received"] == 7900
    assert intent["currency"] == "eur" and intent["metadata"] == {"lumira_order_id": str(order_id)}
    assert payment_intent("pi_3QLumHRwZ6sL9Fz01kLxNbwP") is None


def test_the_standin_answers_retrievals_and_webhook_registration_and_counts_them(standin):
    intent_id = payment_intent_id(order_id=uuid.uuid4(), amount=2700, currency="eur")
    before = requests.get(f"{standin}/_bench/stats", timeout=5).json()["payment_intent_retrievals"]

    found = requests.get(f"{standin}/v1/payment_intents/{intent_id}", timeout=5)
    missing = requests.get(f"{standin}/v1/payment_intents/pi_unknown", timeout=5)
    registered = requests.post(f"{standin}/_config/webhooks/lumira", json={"url": "http://x"}, timeout=5)
    after = requests.get(f"{standin}/_bench/stats", timeout=5).json()["payment_intent_retrievals"]

    assert found.status_code == 200 and found.json()["id"] == intent_id
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "resource_missing"
    assert registered.status_code == 200
    assert after == before + 1


@pytest.mark.django_db
def test_a_bench_webhook_pays_its_order_once_through_dj_stripe_with_the_standin(standin, settings):
    settings.STRIPE_API_BASE = standin  # the payments app points the stripe client at it
    local_account_ensure()
    endpoint = webhook_endpoint_register(base_url="http://127.0.0.1:9").endpoint
    order = create_order()
    intent_id = payment_intent_id(order_id=order.pk, amount=order.amount, currency=order.currency)
    order_payment_intent_attach(order_id=order.pk, payment_intent_id=intent_id)
    target = {"id": order.pk, "number": order.number, "amount": order.amount, "currency": order.currency,
              "stripe_payment_intent_id": intent_id}
    body = webhooks._event_body(json.loads(webhooks.STORED_EVENT.read_text()), target)
    path = endpoint.url.removeprefix("http://127.0.0.1:9")

    responses = [
        Client().post(path, data=body, content_type="application/json",
                      headers={"Stripe-Signature": webhooks._stripe_signature(body, endpoint.secret)})
        for _ in range(2)  # the same event delivered twice
    ]

    assert [response.status_code for response in responses] == [200, 200]
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert OrderEvent.objects.filter(order=order, action="payment_succeeded").count() == 1
