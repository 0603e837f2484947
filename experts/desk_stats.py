"""The admins' part of the desk's stats page: the `stats` command's figures (orders/stats.py), their tables and the
chart."""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from orders.models import OrderStatus
from orders.stats import business_stats, daily_series
from orders.templatetags.lumira import euros

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
        "tables": _tables(business),
        "chart": revenue_chart(daily_series(chart_source, days=chart_days, today=today)),
        "since_error": error,
    }


def _hours(hours: float | None) -> str:
    return "–" if hours is None else f"{formats.localize(hours)} h"  # 20,0 h in French


def _tables(business: dict) -> dict:
    """The page's tables (experts/partials/stats_table.html): caption, column headings, rows as (row heading,
    cells) already formatted, and the line shown when a table has no row ("" shows none)."""
    return {
        "by_offer": {
            "caption": _("Revenue by offer"), "columns": [_("Level"), _("Tier"), _("Orders"), _("Amount")],
            "rows": [(row["level_name"], [row["service_name"], row["orders"], euros(row["revenue_cents"])])
                     for row in business["revenue_by_tier"]],
            "empty": _("No payment in the period."),
        },
        "by_status": {
            "caption": _("Orders by status (created in the period)"), "columns": [_("Status"), _("Orders")],
            "rows": [(OrderStatus(status).label, [count]) for status, count in business["orders_by_status"].items()],
            "empty": "",
        },
        "by_expert": {
            "caption": _("By expert"),
            "columns": [_("Expert"), _("Readings delivered"), _("In progress"), _("Payment → delivery (median)")],
            "rows": [(row["name"], [row["delivered"], row["in_progress"], _hours(row["median_hours"])])
                     for row in business["experts"]],
            "empty": _("No activity in the period."),
        },
    }
