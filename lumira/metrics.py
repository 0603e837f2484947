"""Lumira's Prometheus metrics (the /metrics view is lumira/metrics_view.py).

- Counters are incremented where the event happens, through the small functions below (services call them;
  they never raise). Under gunicorn, PROMETHEUS_MULTIPROC_DIR makes every worker write its counts to files
  that the scrape adds up (prometheus_client's multiprocess mode; scripts/entrypoint.sh empties the directory
  at start, gunicorn.conf.py drops a dead worker's files). A Celery worker's counts are not exported: what
  workers do (generation, reconciliation) is read from the database by the gauges.
- Gauges are computed at scrape time by `LumiraCollector`, each with one cheap query on an indexed column.
"""

import datetime
import os

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone
from prometheus_client import Counter
from prometheus_client.core import GaugeMetricFamily

PAYMENTS = Counter("lumira_payments", "Payments reported by Stripe, by outcome.", ["outcome"])
WEBHOOK_EVENTS = Counter(
    "lumira_webhook_events", "Stripe webhook deliveries, by event type and outcome.", ["type", "outcome"]
)
# Event types Lumira handles keep their name; anything else is "other" (a bounded number of series).
_KNOWN_EVENTS = {"payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled",
                 "charge.refunded"}


def payment_succeeded() -> None:
    PAYMENTS.labels(outcome="succeeded").inc()


def payment_failed() -> None:
    PAYMENTS.labels(outcome="failed").inc()


def webhook_event(event_type: str, outcome: str) -> None:
    """outcome: processed, failed (an exception: Stripe retries) or invalid (bad signature or payload)."""
    WEBHOOK_EVENTS.labels(type=event_type if event_type in _KNOWN_EVENTS else "other", outcome=outcome).inc()


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


class LumiraCollector:
    """Gauges read from PostgreSQL at each scrape."""

    def collect(self):
        from experts.models import AttemptOutcome, DeadLetter, GenerationAttempt
        from orders.models import Order, OrderStatus
        from orders.stats import _ai_cost

        now = timezone.now()
        orders = GaugeMetricFamily("lumira_orders", "Orders by status.", labels=["status"])
        counts = dict(Order.objects.order_by().values_list("status").annotate(Count("pk")))
        for status in OrderStatus.values:
            orders.add_metric([status], counts.get(status, 0))
        yield orders

        late = GaugeMetricFamily(
            "lumira_orders_late", "Paid orders not delivered within DELIVERY_TARGET_HOURS of payment, by service.",
            labels=["service"],
        )
        waiting = Order.objects.filter(
            status__in=(OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.AWAITING_VALIDATION)
        )
        late_counts = waiting.aggregate(**{
            service: Count("pk", filter=Q(service=service, paid_at__lt=now - datetime.timedelta(hours=hours)))
            for service, hours in settings.DELIVERY_TARGET_HOURS.items()
        })
        for service, count in late_counts.items():
            late.add_metric([service], count)
        yield late

        yield GaugeMetricFamily(
            "lumira_dead_letters_open", "Generation requests that failed for good and wait for staff.",
            value=DeadLetter.objects.pending().count(),
        )
        yield GaugeMetricFamily(
            "lumira_generations_stuck", "Generation attempts still pending past their deadline.",
            value=GenerationAttempt.objects.filter(outcome=AttemptOutcome.PENDING, deadline_at__lt=now).count(),
        )
        attempts = GaugeMetricFamily(
            "lumira_generation_attempts", "Generation attempts recorded, by backend and outcome.",
            labels=["backend", "outcome"],
        )
        for backend, outcome, count in (
            GenerationAttempt.objects.order_by().values_list("backend", "outcome").annotate(Count("pk"))
        ):
            attempts.add_metric([backend, outcome], count)
        yield attempts

        last_paid = Order.objects.aggregate(last=Max("paid_at"))["last"]
        yield GaugeMetricFamily(
            "lumira_last_payment_timestamp_seconds", "When the last order was paid (Unix time; 0: never).",
            value=last_paid.timestamp() if last_paid else 0,
        )
        cost = _ai_cost(None)
        if cost is not None:
            yield GaugeMetricFamily("lumira_ai_cost_euros", "Cost of the AI runs so far, in euros.", value=cost / 100)
