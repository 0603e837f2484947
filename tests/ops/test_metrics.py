"""/metrics (issue 16): who may scrape it, request metrics by view, and Lumira's gauges moving with the data."""

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from experts.models import AttemptOutcome, DeadLetter, DeadLetterReason, GenerationAttempt
from orders.models import Order
from tests.factories import ExpertFactory, UserFactory, create_order, paid_order

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
TOKEN = "scrape-token-for-tests-0123456789"


def sample(text: str, name: str, **labels) -> float | None:
    """The value of one series in Prometheus' text format (None when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(rf"{re.escape(name)}(?:\{{(.*)\}})? (\S+)", line)
        if match and ",".join(sorted((match.group(1) or "").split(","))) == wanted:
            return float(match.group(2))
    return None


@pytest.fixture
def scrape(settings):
    settings.METRICS_TOKEN = TOKEN

    def get() -> str:
        response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
        return response.content.decode()

    return get


def test_the_bearer_token_or_a_staff_session_may_scrape_and_nobody_else(settings):
    settings.METRICS_TOKEN = TOKEN
    staff = Client()
    staff.force_login(UserFactory(email="staff@lumira.local", is_staff=True))
    customer = Client()
    customer.force_login(UserFactory(email="camille@example.com"))

    assert Client().get("/metrics").status_code == 404
    assert customer.get("/metrics").status_code == 404
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong-token").status_code == 404
    assert Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    assert staff.get("/metrics").status_code == 200


def test_without_a_configured_token_an_empty_bearer_is_refused(settings):
    settings.METRICS_TOKEN = ""

    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_requests_are_measured_by_view_with_their_status(scrape):
    before = sample(scrape(), "django_http_responses_total_by_status_view_method_total",
                    method="GET", status="200", view="orders:landing") or 0

    Client().get(reverse("orders:landing"))
    text = scrape()

    assert sample(text, "django_http_responses_total_by_status_view_method_total",
                  method="GET", status="200", view="orders:landing") == before + 1
    assert sample(text, "django_http_requests_latency_seconds_by_view_method_count",
                  method="GET", view="orders:landing") >= 1


def test_orders_by_status_move_when_an_order_is_paid(scrape):
    order = create_order()
    assert sample(scrape(), "lumira_orders", status="pending") == 1
    assert sample(scrape(), "lumira_orders", status="paid") == 0

    Order.objects.filter(pk=order.pk).update(status="paid", paid_at=timezone.now())
    text = scrape()

    assert sample(text, "lumira_orders", status="pending") == 0
    assert sample(text, "lumira_orders", status="paid") == 1
    assert sample(text, "lumira_last_payment_timestamp_seconds") == pytest.approx(timezone.now().timestamp(), abs=60)


def test_an_order_waiting_past_its_tiers_delivery_target_counts_as_late(scrape, settings):
    settings.DELIVERY_TARGET_HOURS = {"basic": 48, "premium": 24, "vip": 12}
    hours_ago = timezone.now() - datetime.timedelta(hours=30)
    for service in ("basic", "premium", "vip"):
        order = paid_order(level=1, service=service)
        Order.objects.filter(pk=order.pk).update(paid_at=hours_ago)
    delivered = paid_order(level=1, service="vip")
    Order.objects.filter(pk=delivered.pk).update(paid_at=hours_ago, status="completed", delivered_at=timezone.now())

    text = scrape()

    assert sample(text, "lumira_orders_late", service="basic") == 0  # 30 h < 48 h
    assert sample(text, "lumira_orders_late", service="premium") == 1
    assert sample(text, "lumira_orders_late", service="vip") == 1  # the delivered one is not waiting


def test_dead_letters_stuck_generations_and_attempts_by_backend_follow_the_database(scrape):
    order = paid_order(expert=ExpertFactory())
    late = GenerationAttempt.objects.create(
        id="00000000-0000-0000-0000-0000000000a1", order=order, revision=0, backend="n8n",
        deadline_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    GenerationAttempt.objects.create(
        id="00000000-0000-0000-0000-0000000000a2", order=order, revision=1, backend="local",
        outcome=AttemptOutcome.DELIVERED, deadline_at=timezone.now(),
    )
    text = scrape()
    assert sample(text, "lumira_generations_stuck") == 1
    assert sample(text, "lumira_generation_attempts", backend="n8n", outcome="pending") == 1
    assert sample(text, "lumira_generation_attempts", backend="local", outcome="delivered") == 1
    assert sample(text, "lumira_dead_letters_open") == 0

    DeadLetter.objects.create(order=order, attempt=late, task="t", reason=DeadLetterReason.NO_ANSWER)
    late.outcome = AttemptOutcome.DEAD
    late.save()
    text = scrape()

    assert sample(text, "lumira_dead_letters_open") == 1
    assert sample(text, "lumira_generations_stuck") == 0
    assert sample(text, "lumira_generation_attempts", backend="n8n", outcome="dead") == 1


def test_the_ai_cost_is_left_out_until_it_is_measured(scrape):
    assert "lumira_ai_cost_euros" not in scrape()


def test_the_scrape_costs_a_fixed_number_of_queries(scrape, django_assert_num_queries):
    paid_order()
    with django_assert_num_queries(7):  # orders, late, dead letters, stuck, attempts, last payment, AI cost
        scrape()


def test_counters_from_several_processes_add_up_in_multiprocess_mode(tmp_path):
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "lumira.settings"}
    count = "import django; django.setup(); from lumira import metrics; metrics.payment_succeeded()"
    for _ in range(2):
        subprocess.run([sys.executable, "-c", count], env=env, check=True, cwd=ROOT)
    read = ("import django; django.setup(); from prometheus_client import generate_latest; "
            "from lumira.metrics_view import process_registry; print(generate_latest(process_registry()).decode())")

    out = subprocess.run([sys.executable, "-c", read], env=env, check=True, cwd=ROOT, capture_output=True, text=True)

    assert sample(out.stdout, "lumira_payments_total", outcome="succeeded") == 2


def test_internal_endpoints_are_not_sent_to_https_but_pages_are(settings):
    """In compose, n8n, localstripe and Prometheus call web over plain HTTP inside the network."""
    settings.SECURE_SSL_REDIRECT = True
    settings.METRICS_TOKEN = TOKEN

    assert Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    assert Client().post("/api/expert/n8n-callback", data=b"{}", content_type="application/json").status_code != 301
    assert Client().get(reverse("orders:landing")).status_code == 301
    assert Client().get(reverse("health")).status_code == 301
