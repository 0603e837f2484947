"""Lumira's Prometheus metrics (the /metrics view is lumira/metrics_view.py).

- Counters are incremented where the event happens, through the small functions below (services call them;
  they never raise). Under gunicorn, PROMETHEUS_MULTIPROC_DIR makes every worker write its counts to files
  that the scrape adds up (prometheus_client's multiprocess mode; scripts/entrypoint.sh empties the directory
  at start, gunicorn.conf.py drops a dead worker's files). A Celery worker's counts are not exported: what
  workers do (generation, reconciliation) is read from the database by the gauges.
- Gauges are computed at scrape time by `LumiraCollector`, each with one cheap query on an indexed column;
  each app registers its own (`gauges_register` in its AppConfig.ready).
"""

import datetime
import os
from collections.abc import Callable, Iterable

from django.utils import timezone
from prometheus_client import Counter
from prometheus_client.metrics_core import Metric

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


# Each app's gauges, registered in its AppConfig.ready (orders/metrics.py, experts/metrics.py): a callable
# taking the scrape's time and yielding metric families. lumira imports no app.
_GAUGES: list[Callable[[datetime.datetime], Iterable[Metric]]] = []


def gauges_register(gauges: Callable[[datetime.datetime], Iterable[Metric]]) -> None:
    if gauges not in _GAUGES:
        _GAUGES.append(gauges)


class LumiraCollector:
    """Gauges read from PostgreSQL at each scrape, from every app that registered some."""

    def collect(self):
        now = timezone.now()
        for gauges in _GAUGES:
            yield from gauges(now)
