"""The admins' part of the desk's stats page: the `stats` command's figures (orders/stats.py) and the chart."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from orders.models import OrderStatus
from orders.stats import business_stats, daily_series

from .charts import revenue_chart

CHART_DAYS = 30


def business_context(since_text: str, *, chart_days: int = CHART_DAYS) -> dict:
    """Admins: the `stats` command's figures since a day (30 days back by default) and the 30-day chart."""
    today = timezone.localdate()
    chart_start = today - datetime.timedelta(days=chart_days - 1)
    since, error = chart_start, ""
    if since_text:
        try:
            since = datetime.date.fromisoformat(since_text)
        except ValueError:
            error = _("Unreadable date: use the format YYYY-MM-DD.")
    business = business_stats(since=since)
    chart_source = business if since <= chart_start else business_stats(since=chart_start)
    return {
        "business": business,
        "status_rows": [(OrderStatus(status).label, count) for status, count in business["orders_by_status"].items()],
        "chart": revenue_chart(daily_series(chart_source, days=chart_days, today=today)),
        "since_error": error,
    }
