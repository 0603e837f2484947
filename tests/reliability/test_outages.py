"""Outages, through a real Celery worker (a separate process on a Redis database of its own) and a real HTTP
server standing in for n8n: n8n refusing connections, then timing out, then answering 500 → retries with
backoff, dead letters, replay → every order delivered exactly once. Also /health/ with that worker answering.

Redis itself going down is in test_broker_outage.py (a private redis-server that the test kills).
"""

import time
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command

from experts.models import AttemptOutcome, DeadLetter, DeadLetterReason, DeadLetterStatus, GenerationAttempt
from orders.models import Order, OrderStatus
from tests.experts.helpers import api_for, event_actions
from tests.factories import paid_order
from tests.reliability.helpers import generation_worker, publishing_to, wait_for
from tests.server_support import suite_redis_url

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

BROKER = suite_redis_url(spare=True)  # apart from the experts' worker tests' broker
MAX_ATTEMPTS = 3
BACKOFF = 0.2  # seconds: the worker waits 0.1-0.2 s before the 2nd try, 0.2-0.4 s before the 3rd
N8N_TIMEOUT = 0.5  # the stand-in's "timeout" answers after 1 s


class TimedList(list):
    """The stand-in's record of requests, with the moment each arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def append(self, item) -> None:
        self.times.append(time.monotonic())
        super().append(item)


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, live_server, n8n_stub):
    with generation_worker(
        django_db_blocker, broker=BROKER, name="reliability-worker", n8n_url=n8n_stub.url, site_url=live_server.url,
        n8n_timeout=N8N_TIMEOUT, max_attempts=MAX_ATTEMPTS, backoff=BACKOFF,
    ) as (_, log):
        yield log


@pytest.fixture
def through_worker(worker, n8n_stub, settings, live_server):
    """This process publishes to the worker's broker; callbacks reach the live server."""
    settings.GENERATION_BACKEND = "n8n"
    settings.SITE_URL = live_server.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = BROKER
    n8n_stub.script, n8n_stub.received, n8n_stub.callbacks, n8n_stub.bad_signatures = [], TimedList(), [], 0
    with publishing_to(BROKER):
        yield worker


def _send(expert, count: int) -> list[Order]:
    api = api_for(expert.user)
    orders = [paid_order(expert=expert) for _ in range(count)]
    for order in orders:
        response = api.post("/api/expert/process-order", {"orderId": str(order.pk), "expertPrompt": "Lis."}, format="json")
        assert response.status_code == 202
    return orders


def _dead_letters(orders, log) -> list[DeadLetter]:
    wait_for(lambda: DeadLetter.objects.filter(order__in=orders).count() == len(orders), timeout=20,
             what="the dead letters", log=log)
    return list(DeadLetter.objects.filter(order__in=orders).order_by("created_at"))


def test_n8n_refusing_then_timing_out_then_failing_ends_with_every_order_delivered_once_after_replay(
    through_worker, n8n_stub, expert
):
    log = through_worker
    # 1. n8n down: its port refuses connections.
    n8n_stub.stop()
    refused = _send(expert, 2)
    refused_letters = _dead_letters(refused, log)
    # 2. n8n up but hanging: every request times out.
    n8n_stub.script = ["timeout"] * (2 * MAX_ATTEMPTS)
    n8n_stub.start()
    timed_out = _send(expert, 2)
    timed_out_letters = _dead_letters(timed_out, log)
    # 3. n8n answering 500.
    n8n_stub.script = [500] * (2 * MAX_ATTEMPTS)
    failing = _send(expert, 2)
    failing_letters = _dead_letters(failing, log)
    assert len(n8n_stub.received) == 4 * MAX_ATTEMPTS and n8n_stub.callbacks == []  # the refused tries never arrived

    for letters, error in ((refused_letters, "n8n injoignable (ConnectionError)"),
                           (timed_out_letters, "n8n injoignable (ReadTimeout)"),
                           (failing_letters, "n8n a répondu 500")):
        for letter in letters:
            assert (letter.reason, letter.tries, letter.error) == (DeadLetterReason.RETRIES_EXHAUSTED, MAX_ATTEMPTS, error)
            assert GenerationAttempt.objects.get(pk=letter.attempt_id).sends == MAX_ATTEMPTS
    orders = refused + timed_out + failing
    assert set(Order.objects.filter(pk__in=[o.pk for o in orders]).values_list("status", flat=True)) == {OrderStatus.PAID}
    # Backoff with jitter: each retry of an attempt waited at least half its (doubling) step.
    for order in failing:
        times = [moment for moment, body in zip(n8n_stub.received.times, n8n_stub.received, strict=True)
                 if body["orderId"] == str(order.pk)]
        gaps = [later - earlier for earlier, later in pairwise(times)]
        assert len(gaps) == 2 and gaps[0] >= BACKOFF / 2 and gaps[1] >= BACKOFF, gaps

    # 4. n8n is back: staff replay the dead letters, every order is generated once.
    n8n_stub.script = []
    out = StringIO()
    call_command("replay_dead_letters", stdout=out)
    wait_for(lambda: Order.objects.filter(pk__in=[o.pk for o in orders], status=OrderStatus.AWAITING_VALIDATION).count()
             == len(orders), timeout=20, what="every order delivered", log=log)
    call_command("replay_dead_letters", stdout=out)  # nothing left to replay
    wait_for(lambda: len(n8n_stub.callbacks) >= len(orders), what="n8n to see its callbacks answered", log=log)
    time.sleep(0.3)  # room for a (wrong) second delivery to show up

    assert n8n_stub.callbacks == [200] * len(orders)
    assert "Aucune lettre morte à rejouer." in out.getvalue()
    assert set(DeadLetter.objects.filter(order__in=orders).values_list("status", flat=True)) == {DeadLetterStatus.REPLAYED}
    for order in orders:
        order.refresh_from_db()
        assert order.versions.count() == 1 and order.last_error == ""
        assert event_actions(order).count("content_received") == 1
        assert GenerationAttempt.objects.filter(order=order, outcome=AttemptOutcome.DELIVERED).count() == 1
    accepted = [body["orderId"] for body in n8n_stub.received[4 * MAX_ATTEMPTS:]]
    assert sorted(accepted) == sorted(str(order.pk) for order in orders)  # one accepted request per order
    print(f"\noutage: 6 orders, {MAX_ATTEMPTS} tries each (refused, timed out, 500), 6 dead letters, replayed: "
          f"6 delivered once ({len(n8n_stub.received)} requests reached n8n)")


def test_health_reports_ok_when_a_real_celery_worker_answers(through_worker, client):
    response = client.get("/health/", headers={"accept": "application/json"})

    assert response.status_code == 200, response.content
    checks = response.json()
    assert sorted(name.split("(")[0] for name in checks) == ["Database", "Ping", "Redis"]  # Ping: a Celery worker
    assert set(checks.values()) == {"OK"}
