"""The desk's chart, drawn by Lumira as SVG on the server: revenue (bars) and deliveries (line) per day.

Only geometry lives here; the SVG itself is a template (experts/partials/revenue_chart.html), so every text
is escaped by Django. No script, no external library: it renders under the site's CSP and in any browser.
"""

import datetime
import math

from django.utils.translation import gettext as _

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 52, 36, 40
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
TICKS = 4


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^n at least `value` (an axis top that divides into readable ticks)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _euros(cents: float) -> str:
    return f"{cents / 100:,.0f}".replace(",", "\u202f") + "\u00a0€"


def _day_label(day: str) -> str:
    return datetime.date.fromisoformat(day).strftime("%d/%m")


def revenue_chart(series: list[dict]) -> dict:
    """Coordinates of the bars, the line, the axes and the texts for `series` (daily_series rows)."""
    days = len(series)
    slot = PLOT_W / max(days, 1)
    bar_width = max(slot * 0.6, 1)
    revenue_top = nice_ceiling(max((row["revenue_cents"] for row in series), default=0))
    # Deliveries are whole numbers: the axis top is a multiple of TICKS so every tick is an integer.
    deliveries_top = max(TICKS, math.ceil(max((row["deliveries"] for row in series), default=0) / TICKS) * TICKS)
    bottom = TOP + PLOT_H

    def y_revenue(cents: float) -> float:
        return bottom - PLOT_H * cents / revenue_top

    def y_deliveries(count: float) -> float:
        return bottom - PLOT_H * count / deliveries_top

    bars, points = [], []
    for index, row in enumerate(series):
        center = LEFT + slot * (index + 0.5)
        top = y_revenue(row["revenue_cents"])
        bars.append({
            "x": round(center - bar_width / 2, 1), "y": round(top, 1), "width": round(bar_width, 1),
            "height": round(bottom - top, 1),
            "label": _("%(day)s: %(revenue)s, %(count)s delivery(ies)") % {
                "day": _day_label(row["day"]), "revenue": _euros(row["revenue_cents"]), "count": row["deliveries"]},
        })
        points.append({"x": round(center, 1), "y": round(y_deliveries(row["deliveries"]), 1)})
    ticks = [
        {
            "y": round(y_revenue(revenue_top * step / TICKS), 1),
            "revenue": _euros(revenue_top * step / TICKS),
            "deliveries": deliveries_top * step // TICKS,
        }
        for step in range(TICKS + 1)
    ]
    every = max(1, math.ceil(days / 6))
    labels = [
        {"x": round(LEFT + slot * (index + 0.5), 1), "text": _day_label(row["day"])}
        for index, row in enumerate(series) if (days - 1 - index) % every == 0
    ]
    total = sum(row["revenue_cents"] for row in series)
    delivered = sum(row["deliveries"] for row in series)
    best = max(series, key=lambda row: row["revenue_cents"], default=None)
    summary = _(
        "From %(first)s to %(last)s: %(total)s received and %(delivered)s readings delivered."
    ) % {"first": _day_label(series[0]["day"]), "last": _day_label(series[-1]["day"]), "total": _euros(total),
         "delivered": delivered} if series else _("No data.")
    if best and best["revenue_cents"]:
        summary += " " + _("Best day: %(day)s (%(revenue)s).") % {
            "day": _day_label(best["day"]), "revenue": _euros(best["revenue_cents"])}
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": LEFT + PLOT_W, "top": TOP, "bottom": bottom,
        "bars": bars, "line": " ".join(f"{p['x']},{p['y']}" for p in points), "points": points,
        "ticks": ticks, "labels": labels, "label_y": bottom + 20, "summary": summary, "series": series,
        "legend_y": TOP - 18,
    }
