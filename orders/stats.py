"""Business figures for staff: the `stats` command and the desk's stats page read the same numbers from here.

Every figure is dated by the moment it happened: revenue by payment (`paid_at`), deliveries by `delivered_at`,
refunds by `refunded_at`, orders per status by creation. Revenue is what was paid (gross); refunds are shown
beside it and subtracted in `net_cents`. Amounts are in cents of the orders' currency (the catalogue has one).
Days are calendar days in TIME_ZONE.
"""

import datetime
import statistics
from collections import Counter, defaultdict

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import Level, Order, OrderStatus, Service

S = OrderStatus
IN_PROGRESS = (S.PAID, S.PROCESSING, S.AWAITING_VALIDATION)


def _start(since: datetime.date | None) -> datetime.datetime | None:
    if since is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))


def _after(field: str, start: datetime.datetime | None) -> Q:
    return Q(**{f"{field}__isnull": False}) & (Q(**{f"{field}__gte": start}) if start else Q())


def percentile(values: list[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (PostgreSQL's percentile_cont); None without values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _hours(delta: datetime.timedelta) -> float:
    return delta.total_seconds() / 3600


def _rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _ai_cost(since: datetime.date | None) -> float | None:
    """Estimated cost of the AI runs (one per generation try) since that day, in cents; None when none ran.

    Read through the app registry: the experts app records the runs and orders does not import it.
    """
    runs = apps.get_model("experts", "AIRun").objects.all()
    if since is not None:
        runs = runs.filter(created_at__date__gte=since)
    total = runs.aggregate(total=Sum("cost_eur"))["total"]
    return None if total is None else round(float(total) * 100, 4)


def _revenue(start) -> tuple[list[dict], list[dict], dict]:
    paid = Order.objects.filter(_after("paid_at", start))
    by_day = [
        {"day": row["day"].isoformat(), "revenue_cents": row["cents"], "orders": row["orders"]}
        for row in paid.annotate(day=TruncDate("paid_at")).values("day")
        .annotate(cents=Sum("amount"), orders=Count("pk")).order_by("day")
    ]
    by_tier = [
        {
            "level": Level(row["level"]).slug, "level_name": Level(row["level"]).label, "service": row["service"],
            "service_name": Service(row["service"]).label, "revenue_cents": row["cents"], "orders": row["orders"],
        }
        for row in paid.values("level", "service").annotate(cents=Sum("amount"), orders=Count("pk"))
        .order_by("level", "service")
    ]
    total = {"revenue_cents": sum(row["revenue_cents"] for row in by_day), "orders": sum(r["orders"] for r in by_day)}
    return by_day, by_tier, total


def _deliveries(start) -> dict:
    """Delivery times, revisions, deliveries per day and per expert, from the orders delivered since `start`."""
    rows = list(
        Order.objects.filter(_after("delivered_at", start))
        .values_list("paid_at", "delivered_at", "revision_count", "expert_id", "expert__name")
    )
    hours = [_hours(delivered - paid) for paid, delivered, *_ in rows if paid]
    per_day = Counter(timezone.localdate(delivered).isoformat() for _, delivered, *_ in rows)
    per_expert: dict = defaultdict(lambda: {"name": "", "delivered": 0, "hours": []})
    for paid, delivered, _, expert_id, name in rows:
        if expert_id is None:
            continue
        entry = per_expert[expert_id]
        entry["name"] = name
        entry["delivered"] += 1
        if paid:
            entry["hours"].append(_hours(delivered - paid))
    revisions = [revision_count for _, _, revision_count, *_ in rows]
    return {
        "delivery_hours": {
            "delivered": len(rows), "median": _rounded(percentile(hours, 0.5)), "p90": _rounded(percentile(hours, 0.9)),
        },
        "revisions": {
            "delivered": len(rows), "total": sum(revisions),
            "per_order": _rounded(statistics.fmean(revisions) if revisions else None, 2),
            "max": max(revisions, default=0),
        },
        "deliveries_by_day": [{"day": day, "deliveries": count} for day, count in sorted(per_day.items())],
        "per_expert": per_expert,
    }


def _experts(per_expert: dict) -> list[dict]:
    """Per expert: readings delivered in the period, orders in their hands now, median paid → delivered."""
    in_progress = {
        row["expert_id"]: (row["expert__name"], row["count"])
        for row in Order.objects.filter(status__in=IN_PROGRESS, expert__isnull=False)
        .values("expert_id", "expert__name").annotate(count=Count("pk")).order_by()
    }
    experts = []
    for expert_id in set(per_expert) | set(in_progress):
        name, holding = in_progress.get(expert_id, ("", 0))
        delivered = per_expert.get(expert_id, {"name": name, "delivered": 0, "hours": []})
        experts.append({
            "id": expert_id, "name": delivered["name"], "delivered": delivered["delivered"], "in_progress": holding,
            "median_hours": _rounded(percentile(delivered["hours"], 0.5)),
        })
    return sorted(experts, key=lambda row: (-row["delivered"], -row["in_progress"], row["name"]))


def business_stats(*, since: datetime.date | None = None) -> dict:
    """Every figure of the stats command and the desk page, JSON-ready. 7 queries whatever the volume."""
    start = _start(since)
    by_day, by_tier, total = _revenue(start)
    statuses = Order.objects.filter(_after("created_at", start)).values("status").annotate(count=Count("pk")).order_by()
    counts = {status: 0 for status in S.values} | {row["status"]: row["count"] for row in statuses}
    refunds = Order.objects.filter(_after("refunded_at", start)).aggregate(count=Count("pk"), cents=Sum("amount"))
    deliveries = _deliveries(start)
    refunded_cents = refunds["cents"] or 0
    return {
        "since": since.isoformat() if since else None,
        "currency": Order.objects.values_list("currency", flat=True).first() or "eur",
        "revenue": {**total, "refunded_cents": refunded_cents, "net_cents": total["revenue_cents"] - refunded_cents},
        "revenue_by_day": by_day,
        "revenue_by_tier": by_tier,
        "orders_by_status": counts,
        "delivery_hours": deliveries["delivery_hours"],
        "revisions": deliveries["revisions"],
        "deliveries_by_day": deliveries["deliveries_by_day"],
        "experts": _experts(deliveries["per_expert"]),
        "refunds": {"count": refunds["count"], "cents": refunded_cents},
        "ai_cost_cents": _ai_cost(since),
    }


def daily_series(stats: dict, *, days: int, today: datetime.date | None = None) -> list[dict]:
    """Revenue and deliveries for each of the last `days` days (today included), zero on quiet days."""
    today = today or timezone.localdate()
    revenue = {row["day"]: row["revenue_cents"] for row in stats["revenue_by_day"]}
    deliveries = {row["day"]: row["deliveries"] for row in stats["deliveries_by_day"]}
    series = []
    for offset in range(days - 1, -1, -1):
        day = (today - datetime.timedelta(days=offset)).isoformat()
        series.append({"day": day, "revenue_cents": revenue.get(day, 0), "deliveries": deliveries.get(day, 0)})
    return series
