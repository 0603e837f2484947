"""Acceptance through a real Celery worker (a separate process, through Redis) and a real HTTP server
standing in for n8n, which checks Lumira's signature and calls back signed, like the shipped workflow.

The worker process uses the same PostgreSQL test database; tests are transactional so it sees their data,
and the callbacks come back to pytest-django's live server.
"""

import json
import time
from io import StringIO

import pytest
from django.core.management import call_command

from experts.models import AttemptOutcome, DeadLetter, DeadLetterStatus, GenerationAttempt
from orders.models import Order, OrderStatus, VersionOutcome
from tests.experts.helpers import api_for, event_actions, version_rows
from tests.factories import paid_order
from tests.reliability.helpers import ARTIFACTS, generation_worker, publishing_to
from tests.server_support import suite_redis_url
from tests.server_support import wait_for as server_wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

BROKER = suite_redis_url()
WORKER_NAME = "experts-test"


def wait_for(predicate, *, timeout: float = 20.0, what: str = "condition"):
    """Poll until true; on a timeout, the worker log's tail says why."""
    return server_wait_for(predicate, timeout=timeout, what=what, log=ARTIFACTS / f"{WORKER_NAME}.log")


def status_of(order: Order) -> str:
    return Order.objects.values_list("status", flat=True).get(pk=order.pk)


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, live_server, n8n_stub):
    """`celery -A lumira worker` in a subprocess, on the test database, with short backoffs."""
    with generation_worker(
        django_db_blocker, broker=BROKER, name=WORKER_NAME, n8n_url=n8n_stub.url,
        site_url=f"http://127.0.0.1:{live_server.thread.port}", n8n_timeout=2, max_attempts=3, backoff=0.2,
    ) as (process, _):
        yield process


@pytest.fixture
def through_redis(worker, n8n_stub, settings, live_server):
    """This process publishes tasks to Redis (not eagerly) and builds callback URLs to the live server."""
    settings.GENERATION_BACKEND = "n8n"
    settings.SITE_URL = f"http://127.0.0.1:{live_server.thread.port}"
    n8n_stub.script, n8n_stub.received, n8n_stub.callbacks, n8n_stub.bad_signatures = [], [], [], 0
    if n8n_stub._server is None:
        n8n_stub.start()
    # publishing_to puts Celery's broker back as it found it (not pinned to the values read here).
    with publishing_to(BROKER):
        yield n8n_stub


def test_an_order_goes_through_generation_revision_and_approval(through_redis, expert):
    n8n = through_redis
    api = api_for(expert.user)
    order = paid_order()

    response = api.post("/api/expert/process-order", {"orderId": str(order.pk), "expertPrompt": "Lis."}, format="json")
    assert response.status_code == 202
    wait_for(lambda: status_of(order) == OrderStatus.AWAITING_VALIDATION, what="the first content")

    response = api.post("/api/expert/validate-content",
                        {"orderId": str(order.pk), "action": "reject", "rejectionReason": "Trop vague",
                         "validationNotes": "Plus concret"}, format="json")
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.revision_count == 1
    wait_for(lambda: status_of(order) == OrderStatus.AWAITING_VALIDATION, what="the revised content")

    response = api.post("/api/expert/validate-content", {"orderId": str(order.pk), "action": "approve"}, format="json")
    assert response.status_code == 200

    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED and order.revision_count == 1
    assert order.generated_content["title"] == "Lecture n8n, révision 1."
    assert [(run.backend, run.model, run.outcome) for run in order.ai_runs.order_by("created_at")] == [
        ("n8n", "", "sent"), ("n8n", "gpt-4o-mini", "succeeded"), ("n8n", "", "sent"), ("n8n", "gpt-4o-mini", "succeeded"),
    ]
    assert version_rows(order) == [(0, VersionOutcome.REJECTED), (1, VersionOutcome.APPROVED)]
    assert event_actions(order) == [
        "created", "payment_succeeded", "generation_started", "content_received", "rejected", "content_received",
        "approved",
    ]
    wait_for(lambda: len(n8n.callbacks) == 2, what="n8n to see both answers")
    assert n8n.bad_signatures == 0 and n8n.callbacks == [200, 200]
    first, revision = (request["messages"] for request in n8n.received)
    assert [message["role"] for message in first] == ["system", "user"]
    assert json.loads(revision[2]["content"]) == order.versions.get(revision=0).content
    assert "Trop vague" in revision[3]["content"] and "Plus concret" in revision[3]["content"]


def test_n8n_answering_500_is_retried_then_delivered(through_redis, expert):
    n8n = through_redis
    n8n.script = [500, 502]
    order = paid_order(expert=expert)

    api_for(expert.user).post("/api/expert/process-order", {"orderId": str(order.pk), "expertPrompt": "Lis."}, format="json")

    wait_for(lambda: status_of(order) == OrderStatus.AWAITING_VALIDATION, what="delivery after retries")
    attempt = GenerationAttempt.objects.get(order=order)
    assert (attempt.sends, attempt.outcome) == (3, AttemptOutcome.DELIVERED)
    wait_for(lambda: n8n.callbacks, what="n8n to see the answer")
    assert len(n8n.received) == 3 and n8n.callbacks == [200]
    assert order.versions.count() == 1 and not DeadLetter.objects.exists()


def test_n8n_down_gives_a_dead_letter_and_replaying_it_delivers_once_n8n_is_back(through_redis, expert):
    n8n = through_redis
    n8n.stop()
    order = paid_order(expert=expert)

    api_for(expert.user).post("/api/expert/process-order", {"orderId": str(order.pk), "expertPrompt": "Lis."}, format="json")

    letter = wait_for(lambda: DeadLetter.objects.filter(order=order).first(), what="the dead letter")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and "n8n injoignable" in order.last_error
    assert letter.tries == 3 and letter.status == DeadLetterStatus.PENDING

    n8n.start()
    out = StringIO()
    call_command("replay_dead_letters", stdout=out)
    wait_for(lambda: status_of(order) == OrderStatus.AWAITING_VALIDATION, what="delivery after the replay")
    call_command("replay_dead_letters", stdout=out)  # nothing left to replay
    wait_for(lambda: n8n.callbacks, what="n8n to see the answer")
    time.sleep(0.3)  # room for a (wrong) second delivery to show up

    letter.refresh_from_db()
    assert letter.status == DeadLetterStatus.REPLAYED
    assert "Aucune lettre morte à rejouer." in out.getvalue()
    assert len(n8n.received) == 1 and n8n.callbacks == [200]
    assert order.versions.count() == 1
    assert event_actions(order).count("content_received") == 1
