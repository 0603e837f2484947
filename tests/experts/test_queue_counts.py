"""The count behind each paginated queue stays bounded (lumira/pagination.py): exact up to the cap, "N+" past
it, the same queries whatever the queue's length, and every page still reachable in order."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from experts.api.views import QueuePagination
from lumira import pagination
from lumira.pagination import BoundedPaginator
from orders.admin import OrderAdmin
from orders.models import Order
from tests.experts.helpers import api_for
from tests.factories import paid_order

QUEUE = "/api/expert/orders"


@pytest.fixture
def small_pages(monkeypatch, settings):
    """A cap of 5 and pages of 2, so that a handful of orders goes past the cap."""
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    monkeypatch.setattr(QueuePagination, "page_size", 2)
    monkeypatch.setattr(OrderAdmin, "list_per_page", 2)
    settings.EXPERT_DESK_PAGE_SIZE = 2
    settings.VIEW_CACHE_SECONDS = 0


def _queries(client, path, **params) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    return response, [query["sql"] for query in captured.captured_queries]


@pytest.mark.django_db
def test_the_paginator_counts_at_most_the_cap_and_widens_to_the_page_asked_for():
    for _ in range(4):
        paid_order()
    orders = Order.objects.order_by("number")

    first = BoundedPaginator(orders, 1, cap=2)
    assert (first.count, first.count_exact, first.count_display, first.num_pages_display) == (3, False, "2+", "2+")
    assert first.page(1).has_next()
    later = BoundedPaginator(orders, 1, cap=2)
    assert later.page(4).object_list[0] == orders[3] and not later.page(4).has_next()
    assert (later.count, later.count_exact, later.count_display) == (4, True, "4")
    assert BoundedPaginator(orders, 10, cap=2).count_exact  # a page is never cut below its own size


@pytest.mark.django_db
def test_the_queue_api_counts_exactly_up_to_the_cap_then_says_the_count_is_a_floor(small_pages, expert):
    api = api_for(expert.user)
    for _ in range(3):
        paid_order()
    short = api.get(QUEUE).json()
    for _ in range(6):
        paid_order()
    long = api.get(QUEUE).json()

    assert (short["count"], short["countExact"]) == (3, True)
    assert (long["count"], long["countExact"], len(long["results"])) == (6, False, 2)
    assert long["next"].endswith("page=2")


@pytest.mark.django_db
def test_every_page_of_a_queue_past_the_cap_is_reachable_in_order(small_pages, expert):
    api = api_for(expert.user)
    made = {paid_order().number for _ in range(9)}

    seen, page, last = [], QUEUE, None
    while page:
        last = api.get(page).json()
        seen += [row["number"] for row in last["results"]]
        page = last["next"]

    assert sorted(seen) == sorted(made) and len(seen) == 9
    assert seen == [row["number"] for p in range(1, 6) for row in api.get(QUEUE, {"page": p}).json()["results"]]
    assert (last["count"], last["countExact"]) == (9, True)  # the last page knows the exact total
    assert api.get(QUEUE, {"page": 6}).status_code == 404


@pytest.mark.django_db
def test_the_queue_api_makes_the_same_bounded_queries_for_a_short_and_a_long_queue(small_pages, expert):
    api = api_for(expert.user)
    for _ in range(2):
        paid_order()
    _, short = _queries(api, QUEUE)
    for _ in range(10):
        paid_order()
    _, long = _queries(api, QUEUE)

    assert len(short) == len(long)
    count = next(sql for sql in long if "COUNT(" in sql.upper())
    assert "LIMIT 6" in count.upper() and "ORDER BY" not in count.upper()


@pytest.mark.django_db
def test_the_desk_shows_a_bounded_count_and_keeps_its_queries(small_pages, expert):
    desk = Client()
    desk.force_login(expert.user)
    paid_order()
    _, short = _queries(desk, reverse("experts:queue"))
    for _ in range(7):
        paid_order()
    response, long = _queries(desk, reverse("experts:queue"))
    html = response.content.decode()

    assert "5+ commandes" in html and "Page 1 sur 2+" in html
    assert len(short) == len(long)
    assert "8 commandes" in desk.get(reverse("experts:queue"), {"page": 4}).content.decode()  # counted to its end


@pytest.mark.django_db
def test_the_admin_changelist_counts_orders_up_to_the_cap_without_a_full_count(small_pages, admin_expert):
    admin = Client()
    admin.force_login(admin_expert.user)
    url = reverse("admin:orders_order_changelist")
    paid_order()
    _, short = _queries(admin, url)
    orders = [paid_order() for _ in range(7)]
    response, long = _queries(admin, url)
    page4 = admin.get(url, {"p": 4}).content.decode()

    assert "5+ commandes" in response.content.decode()
    assert len(short) == len(long)
    assert not any("DISTINCT" in sql.upper() or "MIN(" in sql.upper() for sql in long)  # no date drill-down scan
    counts = [sql for sql in long if "COUNT(" in sql.upper()]
    assert counts and all("LIMIT" in sql.upper() for sql in counts)  # no unbounded count, filtered or full
    newest_first = sorted(orders, key=lambda o: o.created_at, reverse=True)
    assert newest_first[6].number in page4 and newest_first[0].number not in page4


@pytest.mark.django_db
def test_a_page_number_past_any_table_is_a_404_not_a_500(expert):
    paid_order()
    api = api_for(expert.user)

    assert api.get(QUEUE, {"page": 10**20}).status_code == 404
    assert api.get(f"{QUEUE}/validation-queue", {"page": 10**20}).status_code == 404
