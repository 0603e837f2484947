"""Business stats (orders/stats.py and `manage.py stats`) on factory data with answers worked out by hand."""

import csv
import datetime
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from orders.models import Order, OrderStatus
from orders.stats import business_stats, daily_series, percentile
from tests.factories import ExpertFactory, create_order, offer

PARIS = ZoneInfo("Europe/Paris")
SINCE = datetime.date(2026, 11, 1)


def at(day: int, hour: int, month: int = 11) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=PARIS)


def _order(status, *, level=2, service="premium", expert=None, created=None, paid=None, delivered=None,
           refunded=None, revisions=0) -> Order:
    order = create_order(level=level, service=service)
    Order.objects.filter(pk=order.pk).update(
        status=status, expert=expert, created_at=created or paid or at(1, 8), paid_at=paid, delivered_at=delivered,
        refunded_at=refunded, revision_count=revisions,
    )
    return order


@pytest.fixture
def shop(db):
    """Seven orders: three delivered in November (24 h, 10 h, 48 h), one in progress, one refunded, one
    pending, and one delivered in October (outside --since 2026-11-01)."""
    oriane = ExpertFactory(name="Oriane Lune")
    elias = ExpertFactory(name="Elias Soleil")
    C = OrderStatus
    _order(C.COMPLETED, expert=oriane, paid=at(1, 10), delivered=at(2, 10))
    _order(C.COMPLETED, level=1, service="basic", expert=oriane, paid=at(1, 12), delivered=at(1, 22), revisions=2)
    _order(C.COMPLETED, expert=elias, paid=at(3, 9), delivered=at(5, 9), revisions=1)
    _order(C.PROCESSING, expert=elias, paid=at(3, 15))
    _order(C.REFUNDED, level=4, service="vip", paid=at(2, 11), refunded=at(4, 16))
    _order(C.PENDING, created=at(6, 9))
    _order(C.COMPLETED, expert=elias, paid=at(20, 10, month=10), delivered=at(21, 10, month=10), revisions=5)
    return {"premium": offer(2, "premium").price_cents, "basic": offer(1, "basic").price_cents,
            "vip": offer(4, "vip").price_cents, "oriane": oriane, "elias": elias}


def test_percentile_interpolates_between_ranks_like_postgresql():
    assert percentile([10, 24, 48], 0.5) == 24
    assert percentile([10, 24, 48], 0.9) == pytest.approx(43.2)
    assert percentile([], 0.5) is None


def test_revenue_is_counted_by_day_of_payment_and_by_tier_with_refunds_beside_it(shop):
    premium, basic, vip = shop["premium"], shop["basic"], shop["vip"]

    stats = business_stats(since=SINCE)

    assert stats["revenue_by_day"] == [
        {"day": "2026-11-01", "revenue_cents": premium + basic, "orders": 2},
        {"day": "2026-11-02", "revenue_cents": vip, "orders": 1},
        {"day": "2026-11-03", "revenue_cents": 2 * premium, "orders": 2},
    ]
    assert [(row["level"], row["service"], row["orders"]) for row in stats["revenue_by_tier"]] == [
        ("simple", "basic", 1), ("intuitive", "premium", 3), ("integrale", "vip", 1),
    ]
    assert stats["revenue"] == {"revenue_cents": 3 * premium + basic + vip, "orders": 5, "refunded_cents": vip,
                                "net_cents": 3 * premium + basic}
    assert stats["refunds"] == {"count": 1, "cents": vip}


def test_orders_per_status_count_every_status_created_since_the_day(shop):
    counts = business_stats(since=SINCE)["orders_by_status"]

    assert counts == {"pending": 1, "paid": 0, "processing": 1, "awaiting_validation": 0, "completed": 3,
                      "failed": 0, "canceled": 0, "refunded": 1}
    assert business_stats()["orders_by_status"]["completed"] == 4


def test_paid_to_delivered_median_and_p90_and_revisions_per_delivered_order(shop):
    stats = business_stats(since=SINCE)

    assert stats["delivery_hours"] == {"delivered": 3, "median": 24.0, "p90": 43.2}
    assert stats["revisions"] == {"delivered": 3, "total": 3, "per_order": 1.0, "max": 2}
    assert business_stats()["revisions"]["max"] == 5  # October's order counts without --since


def test_each_expert_shows_deliveries_in_progress_and_median_time(shop):
    experts = business_stats(since=SINCE)["experts"]

    assert experts == [
        {"id": shop["oriane"].pk, "name": "Oriane Lune", "delivered": 2, "in_progress": 0, "median_hours": 17.0},
        {"id": shop["elias"].pk, "name": "Elias Soleil", "delivered": 1, "in_progress": 1, "median_hours": 48.0},
    ]


def test_the_daily_series_fills_quiet_days_with_zero(shop):
    series = daily_series(business_stats(since=SINCE), days=5, today=datetime.date(2026, 11, 5))

    assert [(row["day"], row["revenue_cents"], row["deliveries"]) for row in series] == [
        ("2026-11-01", shop["premium"] + shop["basic"], 1), ("2026-11-02", shop["vip"], 1),
        ("2026-11-03", 2 * shop["premium"], 0), ("2026-11-04", 0, 0), ("2026-11-05", 0, 1),
    ]


def test_the_ai_cost_sums_the_runs_of_the_period_and_is_unknown_without_runs(shop, expert):
    from decimal import Decimal

    from experts.models import AIRun, AIRunOutcome

    assert business_stats(since=SINCE)["ai_cost_cents"] is None
    from tests.experts.helpers import processing

    order = processing(expert)
    for day, cost in ((datetime.datetime(2026, 10, 20, tzinfo=datetime.UTC), "9"), (None, "0.0125"), (None, "0.0300")):
        run = AIRun.objects.create(order=order, attempt_id=order.generation_attempt_id, backend="openai",
                                   model="gpt-4o-mini", cost_eur=Decimal(cost),
                                   outcome=AIRunOutcome.SUCCEEDED)
        if day:
            AIRun.objects.filter(pk=run.pk).update(created_at=day)

    assert business_stats(since=SINCE)["ai_cost_cents"] == 4.25  # 0.0425 € since SINCE; the October run is older
    assert business_stats(since=None)["ai_cost_cents"] == 904.25


def test_the_figures_take_the_same_number_of_queries_whatever_the_volume(shop, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):  # seven for the orders, one for the AI runs' cost
        business_stats(since=SINCE)


def test_the_command_prints_a_table_with_french_status_labels(shop):
    out = io.StringIO()

    call_command("stats", since="2026-11-01", stdout=out)

    text = out.getvalue()
    assert "Lumira stats since 2026-11-01 (amounts in EUR)" in text
    assert "Remboursée" in text and "Oriane Lune" in text
    assert f"{(3 * shop['premium'] + shop['basic']) / 100:.2f}" in text  # net revenue


def test_the_command_writes_csv_rows_and_json_with_the_same_numbers(shop):
    out_csv, out_json = io.StringIO(), io.StringIO()

    call_command("stats", since="2026-11-01", format="csv", stdout=out_csv)
    call_command("stats", since="2026-11-01", format="json", stdout=out_json)

    table = list(csv.DictReader(io.StringIO(out_csv.getvalue())))
    p90 = next(row for row in table if row["section"] == "paid_to_delivered" and row["metric"] == "p90")
    assert p90["value"] == "43.2"
    assert json.loads(out_json.getvalue())["delivery_hours"]["p90"] == 43.2


def test_the_command_refuses_a_date_it_cannot_read(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("stats", since="01/11/2026")
