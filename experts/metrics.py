"""The generation's gauges on /metrics (registered in ExpertsConfig.ready; the endpoint is lumira/metrics_view.py)."""

import datetime

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily

from orders.stats import _ai_cost

from .models import AttemptOutcome, DeadLetter, GenerationAttempt


def generation_gauges(now: datetime.datetime):
    yield GaugeMetricFamily(
        "lumira_dead_letters_open",
        "Generation requests that failed for good and wait for staff.",
        value=DeadLetter.objects.pending().count(),
    )
    yield GaugeMetricFamily(
        "lumira_generations_stuck",
        "Generation attempts still pending past their deadline.",
        value=GenerationAttempt.objects.filter(outcome=AttemptOutcome.PENDING, deadline_at__lt=now).count(),
    )
    attempts = GaugeMetricFamily(
        "lumira_generation_attempts",
        "Generation attempts recorded, by backend and outcome.",
        labels=["backend", "outcome"],
    )
    for backend, outcome, count in GenerationAttempt.objects.order_by().values_list("backend", "outcome").annotate(Count("pk")):
        attempts.add_metric([backend, outcome], count)
    yield attempts

    cost = _ai_cost(None)
    if cost is not None:
        yield GaugeMetricFamily("lumira_ai_cost_euros", "Cost of the AI runs so far, in euros.", value=cost / 100)
