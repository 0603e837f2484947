"""The COUNT behind each paginated queue, measured at the bench's size: Django's full count (what the
queues ran before lumira/pagination.py) beside the bounded one they run now. Best of three runs, warm."""

from __future__ import annotations

import time

from bench.subjects import ADMIN_EXPERT, DESK_EXPERT, model_named


def _best_ms(count, runs: int = 3) -> tuple[int, float]:
    best, value = float("inf"), 0
    for _ in range(runs):
        started = time.perf_counter()
        value = count()
        best = min(best, 1000 * (time.perf_counter() - started))
    return value, best


def queue_counts() -> list[dict]:
    from experts.selectors import order_queue, order_stats, validation_queue
    from lumira.pagination import BoundedPaginator
    from orders.models import Order

    Expert = model_named("Expert")
    expert, admin = (Expert.objects.get(user__email=email) for email in (DESK_EXPERT, ADMIN_EXPERT))
    queues = {
        "expert queue, paid (a plain expert)": order_queue(expert=expert),
        "expert queue, every status (admin)": order_queue(expert=admin, status=None),
        "validation queue (admin)": validation_queue(expert=admin),
        "orders admin changelist (every order)": Order.objects.all(),
    }
    rows = []
    for name, queryset in queues.items():
        total, full_ms = _best_ms(lambda qs=queryset: qs.count())
        shown, bounded_ms = _best_ms(lambda qs=queryset: BoundedPaginator(qs.all(), 20).count)
        rows.append({"queue": name, "rows": total, "full_count_ms": round(full_ms, 1),
                     "bounded_count_ms": round(bounded_ms, 1), "bounded_count": shown})
    # Not a page's count, but counts on the desk's page all the same: its per-status sidebar (one aggregate).
    for name, who in (("desk sidebar counts (a plain expert)", expert), ("desk sidebar counts (admin)", admin)):
        stats, full_ms = _best_ms(lambda who=who: order_stats(expert=who))
        rows.append({"queue": name, "rows": sum(stats["counts"].values()), "full_count_ms": round(full_ms, 1),
                     "bounded_count_ms": None, "bounded_count": None})
    return rows


def print_counts(rows: list[dict]) -> None:
    print(f"\n{'queue (COUNT behind the page)':<40} {'rows':>8} {'full ms':>8} {'bounded ms':>10}")
    for row in rows:
        bounded = "-" if row["bounded_count_ms"] is None else f"{row['bounded_count_ms']:.1f}"
        print(f"{row['queue']:<40} {row['rows']:>8} {row['full_count_ms']:>8.1f} {bounded:>10}")
