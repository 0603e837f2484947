"""The orders' gauges on /metrics (registered in OrdersConfig.ready; the endpoint is lumira/metrics_view.py)."""

import datetime

from django.conf import settings
from django.db.models import Count, Max, Q
from prometheus_client.core import GaugeMetricFamily

from .models import Order, OrderStatus


def order_gauges(now: datetime.datetime):
    orders = GaugeMetricFamily("lumira_orders", "Orders by status.", labels=["status"])
    counts = dict(Order.objects.order_by().values_list("status").annotate(Count("pk")))
    for status in OrderStatus.values:
        orders.add_metric([status], counts.get(status, 0))
    yield orders

    late = GaugeMetricFamily(
        "lumira_orders_late",
        "Paid orders not delivered within DELIVERY_TARGET_HOURS of payment, by service.",
        labels=["service"],
    )
    waiting = Order.objects.filter(status__in=(OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.AWAITING_VALIDATION))
    late_counts = waiting.aggregate(
        **{
            service: Count("pk", filter=Q(service=service, paid_at__lt=now - datetime.timedelta(hours=hours)))
            for service, hours in settings.DELIVERY_TARGET_HOURS.items()
        }
    )
    for service, count in late_counts.items():
        late.add_metric([service], count)
    yield late

    last_paid = Order.objects.aggregate(last=Max("paid_at"))["last"]
    yield GaugeMetricFamily(
        "lumira_last_payment_timestamp_seconds",
        "When the last order was paid (Unix time; 0: never).",
        value=last_paid.timestamp() if last_paid else 0,
    )
