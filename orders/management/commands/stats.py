"""`python manage.py stats [--since YYYY-MM-DD] [--format table|csv|json]`: business figures (orders/stats.py)."""

import csv
import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from orders.models import OrderStatus
from orders.stats import business_stats


def _since(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since expects a date as YYYY-MM-DD, not {value!r}.") from None


def _money(cents: int | None) -> str:
    return "-" if cents is None else f"{cents / 100:.2f}"


def _value(value) -> str:
    return "-" if value is None else str(value)


def rows(stats: dict) -> list[tuple[str, str, str, str]]:
    """The figures as (section, key, metric, value) rows: the CSV, and the table grouped by section."""
    out = [
        ("revenue", "total", "revenue", _money(stats["revenue"]["revenue_cents"])),
        ("revenue", "total", "orders", str(stats["revenue"]["orders"])),
        ("revenue", "total", "refunded", _money(stats["revenue"]["refunded_cents"])),
        ("revenue", "total", "net", _money(stats["revenue"]["net_cents"])),
    ]
    for row in stats["revenue_by_day"]:
        out += [("revenue_by_day", row["day"], "revenue", _money(row["revenue_cents"])),
                ("revenue_by_day", row["day"], "orders", str(row["orders"]))]
    for row in stats["revenue_by_tier"]:
        key = f"{row['level']}/{row['service']}"
        out += [("revenue_by_tier", key, "revenue", _money(row["revenue_cents"])),
                ("revenue_by_tier", key, "orders", str(row["orders"]))]
    out += [("orders_by_status", status, "orders", str(count)) for status, count in stats["orders_by_status"].items()]
    hours = stats["delivery_hours"]
    out += [("paid_to_delivered", "hours", name, _value(hours[name])) for name in ("delivered", "median", "p90")]
    revisions = stats["revisions"]
    out += [("revisions", "delivered_orders", name, _value(revisions[name])) for name in ("total", "per_order", "max")]
    for expert in stats["experts"]:
        out += [("experts", expert["name"], name, _value(expert[name])) for name in ("delivered", "in_progress", "median_hours")]
    out += [("refunds", "total", "count", str(stats["refunds"]["count"])),
            ("refunds", "total", "amount", _money(stats["refunds"]["cents"])),
            ("ai_runs", "total", "cost", _money(stats["ai_cost_cents"]))]
    return out


class Command(BaseCommand):
    help = "Business figures: revenue by day and tier, orders per status, delivery times, revisions, experts, refunds."

    def add_arguments(self, parser):
        parser.add_argument("--since", default=None, help="First day counted (YYYY-MM-DD); default: all.")
        parser.add_argument("--format", choices=("table", "csv", "json"), default="table")

    def handle(self, *args, since: str | None, format: str, **options):
        stats = business_stats(since=_since(since) if since else None)
        if format == "json":
            self.stdout.write(json.dumps(stats, indent=2, ensure_ascii=False))
        elif format == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(("section", "key", "metric", "value"))
            writer.writerows(rows(stats))
        else:
            self._table(stats)

    def _table(self, stats: dict) -> None:
        currency = stats["currency"].upper()
        self.stdout.write(f"Lumira stats since {stats['since'] or 'the first order'} (amounts in {currency})")
        section = None
        for name, key, metric, value in rows(stats):
            if name != section:
                section = name
                self.stdout.write(f"\n{name.replace('_', ' ')}")
            label = str(OrderStatus(key).label) if name == "orders_by_status" else key
            self.stdout.write(f"  {label:<34} {metric:<14} {value:>12}")
