"""The desk's stats page for admins: the `stats` command's figures and a server-drawn SVG chart (issue 16)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.charts import nice_ceiling, revenue_chart
from orders.models import Order, OrderStatus
from tests.experts.helpers import desk
from tests.factories import paid_order

pytestmark = pytest.mark.django_db


def _delivered(expert, *, days_ago: int, hours: int, **kwargs) -> Order:
    order = paid_order(expert=expert, **kwargs)
    delivered = timezone.now() - datetime.timedelta(days=days_ago)
    Order.objects.filter(pk=order.pk).update(
        status=OrderStatus.COMPLETED, paid_at=delivered - datetime.timedelta(hours=hours), delivered_at=delivered
    )
    return order


@pytest.fixture
def activity(expert):
    _delivered(expert, days_ago=2, hours=10)
    _delivered(expert, days_ago=1, hours=30, level=4, service="vip")
    paid_order()


def test_an_admin_sees_revenue_delivery_times_experts_and_the_chart(admin_expert, expert, activity,
                                                                     django_assert_num_queries):
    client = desk(admin_expert)

    with django_assert_num_queries(13):  # session, user, expert, the status panel (2), 8 for the business figures
        page = client.get(reverse("experts:stats"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "<h2 id=\"business-title\">Activité</h2>" in html
    assert "Paiement → livraison (médiane)</dt><dd>20,0 h" in html
    assert "<th scope=\"row\">Oriane Lune</th><td>2</td>" in html
    assert '<svg viewBox="0 0 720 300"' in html and 'role="img" aria-labelledby="chart-title chart-desc"' in html
    assert len(re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+" fill="#b9a3e3" rx', html)) == 30
    assert "lectures livrées" in html  # the description says the totals in words
    assert "<script" not in html.split("<figure class=\"stats-chart\">")[1].split("</figure>")[0]


def test_the_chart_data_table_lists_each_of_the_last_30_days(admin_expert, activity):
    html = desk(admin_expert).get(reverse("experts:stats")).content.decode()

    table = html.split("Les données du graphique (tableau)")[1].split("</table>")[0]
    assert table.count('<th scope="row">') == 30
    assert f'<th scope="row">{timezone.localdate().isoformat()}</th>' in table


def test_a_plain_expert_sees_the_counts_but_not_the_business_figures(expert, activity):
    html = desk(expert).get(reverse("experts:stats")).content.decode()

    assert "Traitées aujourd'hui" in html
    assert "Activité" not in html and "<svg" not in html


def test_an_unreadable_date_is_said_and_the_page_still_shows_the_last_30_days(admin_expert, activity):
    page = desk(admin_expert).get(reverse("experts:stats"), {"since": "hier"})

    assert page.status_code == 200
    assert "Date illisible : utilisez le format AAAA-MM-JJ." in page.content.decode()


def test_since_a_later_day_counts_only_what_happened_from_then(admin_expert, activity):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    html = desk(admin_expert).get(reverse("experts:stats"), {"since": yesterday}).content.decode()

    assert "<th scope=\"row\">Oriane Lune</th><td>1</td>" in html


def test_axis_tops_are_round_numbers_and_an_empty_month_still_draws():
    assert [nice_ceiling(v) for v in (0, 7, 12, 2300, 4900, 51000)] == [1, 10, 20, 2500, 5000, 100000]
    today = datetime.date(2026, 11, 30)
    empty = [{"day": (today - datetime.timedelta(days=n)).isoformat(), "revenue_cents": 0, "deliveries": 0}
             for n in range(29, -1, -1)]

    chart = revenue_chart(empty)

    assert len(chart["bars"]) == 30 and all(bar["height"] == 0 for bar in chart["bars"])
    assert chart["summary"].startswith("Du 01/11 au 30/11 : 0\u00a0€ encaissés et 0 lectures livrées.")
