"""Webhook storm: 1,000 signed Stripe deliveries for 300 orders, 30 % of them duplicates, some out of order,
sent by 8 concurrent senders to the running site (live server, real HTTP, real dj-stripe endpoint).

Every PaymentIntent exists in localstripe in the state the events describe, because dj-stripe re-retrieves
it from the API while it processes each event (localstripe answers in a few milliseconds: no stand-in needed).
"""

import contextlib
import random
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import stripe
from django.core import mail
from django.db import connection
from djstripe.models import Event, WebhookEventTrigger

from orders.models import Order, OrderEvent, OrderStatus
from orders.services import order_payment_intent_attach
from payments.stripe_api import local_account_ensure, secret_key
from payments.webhooks import webhook_endpoint_register, webhook_path
from tests.factories import UserFactory, create_order
from tests.stripe_support import event_body, sign, stored_event

pytestmark = pytest.mark.django_db(transaction=True)

# How many orders end in each state, and the events Stripe sends for each (before duplicates).
GROUPS = {"paid": 130, "refunded": 70, "canceled": 50, "failed": 50}  # 300 orders
DELIVERIES = 1000
SENDERS = 8
NOWHERE = "http://127.0.0.1:9"  # localstripe's own deliveries go nowhere: only the storm reaches the site
# The status transitions each order must show exactly once (and no other).
EXPECTED = {
    "paid": (OrderStatus.PAID, ["payment_succeeded"]),
    "refunded": (OrderStatus.REFUNDED, ["payment_succeeded", "refunded"]),
    "canceled": (OrderStatus.CANCELED, ["canceled"]),
    "failed": (OrderStatus.FAILED, ["payment_failed"]),
}


def _prepare_in_stripe(group: str, order: Order, customer_id: str) -> dict:
    """The order's PaymentIntent in localstripe, brought to the state its events report."""
    key = secret_key()
    intent = stripe.PaymentIntent.create(
        amount=order.amount, currency=order.currency, customer=customer_id, payment_method_types=["card"],
        metadata={"lumira_order_id": str(order.pk), "lumira_order_number": order.number}, api_key=key,
    )
    order_payment_intent_attach(order_id=order.pk, payment_intent_id=intent.id)
    if group in ("paid", "refunded"):
        stripe.PaymentIntent.modify(intent.id, payment_method="pm_card_visa", api_key=key)
        intent = stripe.PaymentIntent.confirm(intent.id, api_key=key)
        if group == "refunded":
            stripe.Refund.create(payment_intent=intent.id, api_key=key)
    elif group == "canceled":
        intent = stripe.PaymentIntent.cancel(intent.id, api_key=key)
    else:  # a declined card, then the intent canceled: it can no longer be paid
        stripe.PaymentIntent.modify(intent.id, payment_method="pm_card_chargeCustomerFail", api_key=key)
        with contextlib.suppress(stripe.CardError):
            stripe.PaymentIntent.confirm(intent.id, api_key=key)
        intent = stripe.PaymentIntent.cancel(intent.id, api_key=key)
    ids = {"payment_intent": intent.id, "customer": customer_id, "order_id": str(order.pk), "order_number": order.number}
    charge = intent.to_dict().get("latest_charge")
    if charge:
        ids["charge"] = charge if isinstance(charge, str) else charge["id"]
    if intent.to_dict().get("payment_method"):
        ids["payment_method"] = intent.payment_method
    return ids


def _prepare(group: str, client, customer_id: str) -> tuple[Order, dict]:
    order = create_order(client=client)
    return order, _prepare_in_stripe(group, order, customer_id)


def _in_threads(work, items, workers: int = 6) -> list:
    """Setup in parallel (each thread with its own database connection, closed when done)."""
    def run(item):
        try:
            return work(item)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, items))


def _event(name: str, ids: dict, event_id: str) -> dict:
    def rename(event):
        event["id"] = event_id

    return stored_event(name, ids=ids, change=rename)


def _order_events(group: str, index: int, order: Order, ids: dict) -> list[dict]:
    """This order's events in the order the storm sends them (some deliberately out of order)."""
    tag = f"evt_storm{order.number[-5:]}{index:03d}"
    if group == "paid":
        # Two declined cards before the payment; for a third of the orders a decline report arrives late.
        events = [_event("payment_intent.payment_failed", ids, f"{tag}f1"),
                  _event("payment_intent.payment_failed", ids, f"{tag}f2"),
                  _event("payment_intent.succeeded", ids, f"{tag}ok")]
        if index % 3 == 0:
            events[1], events[2] = events[2], events[1]
        return events
    if group == "refunded":
        events = [_event("payment_intent.payment_failed", ids, f"{tag}f1"),
                  _event("payment_intent.succeeded", ids, f"{tag}ok"),
                  _event("charge.refunded", ids, f"{tag}rf")]
        if index % 2 == 0:  # the refund before the success
            events[1], events[2] = events[2], events[1]
        return events
    if group == "canceled":
        return [_event("payment_intent.canceled", ids, f"{tag}cx")]
    return [_event("payment_intent.payment_failed", ids, f"{tag}ff")]


def _storm(sequences: list[list[dict]], rng: random.Random) -> tuple[list[dict], int]:
    """Interleave the orders' sequences (each kept in its own order), then re-deliver random events later on,
    as Stripe does after a timeout: DELIVERIES in all."""
    queues = [list(sequence) for sequence in sequences]
    unique: list[dict] = []
    while queues:
        pick = rng.randrange(len(queues))
        unique.append(queues[pick].pop(0))
        if not queues[pick]:
            queues.pop(pick)
    keyed = [(float(position), event) for position, event in enumerate(unique)]
    duplicates = DELIVERIES - len(unique)
    for _ in range(duplicates):
        position = rng.randrange(len(unique))
        keyed.append((rng.uniform(position + 0.5, len(unique)), unique[position]))
    keyed.sort(key=lambda pair: pair[0])
    return [event for _, event in keyed], duplicates


def _send_all(url: str, secret: str, deliveries: list[dict]) -> list[tuple[int, str]]:
    """SENDERS threads, each with its own keep-alive connection, take the next delivery from one list."""
    lock = threading.Lock()
    cursor = iter(enumerate(deliveries))
    answers: list[tuple[int, str]] = []

    def sender():
        http = requests.Session()
        while True:
            with lock:
                item = next(cursor, None)
            if item is None:
                return
            _, event = item
            body = event_body(event)
            response = http.post(url, data=body, timeout=30,
                                 headers={"Content-Type": "application/json", "Stripe-Signature": sign(body, secret)})
            with lock:
                answers.append((response.status_code, event["id"]))

    threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def _transitions(order_ids) -> dict:
    """Per order, the actions of its status changes (an event whose status differs before and after)."""
    moves = defaultdict(list)
    rows = OrderEvent.objects.filter(order_id__in=order_ids).exclude(action="created").values_list(
        "order_id", "action", "from_status", "to_status", "note"
    )
    for order_id, action, from_status, to_status, note in rows:
        if from_status != to_status:
            moves[order_id].append((action, note))
    return moves


@pytest.mark.long
def test_a_storm_of_duplicate_and_out_of_order_webhooks_moves_each_order_once_to_the_right_state(
    live_server, stripe_api
):
    rng = random.Random(8)  # a fixed storm: a failure can be replayed
    local_account_ensure()
    endpoint = webhook_endpoint_register(base_url=NOWHERE).endpoint
    customer = stripe.Customer.create(email="storm@example.com", api_key=secret_key())
    clients = [UserFactory(email=f"storm{n}@example.com") for n in range(20)]
    started = time.monotonic()
    plan = [group for group, count in GROUPS.items() for _ in range(count)]
    prepared_orders = _in_threads(
        lambda index: _prepare(plan[index], clients[index % len(clients)], customer.id), range(len(plan))
    )
    orders: dict[str, list[Order]] = defaultdict(list)
    sequences = []
    for index, (group, (order, ids)) in enumerate(zip(plan, prepared_orders, strict=True)):
        orders[group].append(order)
        sequences.append(_order_events(group, index, order, ids))
    deliveries, duplicates = _storm(sequences, rng)
    prepared = time.monotonic()

    answers = _send_all(live_server.url + webhook_path(endpoint.djstripe_uuid), endpoint.secret, deliveries)
    sent = time.monotonic()

    # The numbers this storm ran with.
    unique_ids = {event["id"] for event in deliveries}
    assert (len(deliveries), len(unique_ids), duplicates) == (1000, 700, 300)
    assert sum(len(orders[group]) for group in GROUPS) == 300
    # Every delivery was answered, none with an error (Stripe would retry a 5xx: here it must not need to).
    assert len(answers) == DELIVERIES
    assert Counter(status for status, _ in answers) == {200: DELIVERIES}, Counter(status for status, _ in answers)
    assert WebhookEventTrigger.objects.filter(valid=True, processed=True).count() == DELIVERIES
    assert Event.objects.filter(id__in=unique_ids).count() == 700  # duplicates dropped by event id

    moves = _transitions([order.pk for group in GROUPS for order in orders[group]])
    for group, (status, actions) in EXPECTED.items():
        ids = [order.pk for order in orders[group]]
        statuses = Counter(Order.objects.filter(pk__in=ids).values_list("status", flat=True))
        assert statuses == {status: len(ids)}, (group, statuses)
        wrong = {order_id: moves[order_id] for order_id in ids if sorted(a for a, _ in moves[order_id]) != actions}
        assert not wrong, (group, list(wrong.items())[:3])
    assert not Order.objects.exclude(payment_flag="").exists()

    # "Commande payée" emails: one per order that Stripe's success event marked paid, none for the orders
    # whose refund arrived first (marked paid by the refund itself, silently).
    paid_by_success = sum(
        1 for group in ("paid", "refunded") for order in orders[group]
        if any(action == "payment_succeeded" and note.endswith("ok") for action, note in moves[order.pk])
    )
    assert paid_by_success >= GROUPS["paid"]
    assert len(mail.outbox) == paid_by_success
    assert len({message.subject for message in mail.outbox}) == paid_by_success  # one per order, never twice

    print(f"\nstorm: {len(orders)} groups, 300 orders prepared in {prepared - started:.1f}s; "
          f"{DELIVERIES} deliveries ({duplicates} duplicates) by {SENDERS} senders in {sent - prepared:.1f}s")
    # Its speed is make bench's to measure (the webhook line), not a bound asserted here.
