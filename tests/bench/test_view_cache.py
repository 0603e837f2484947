"""Cached reads are served until a committed write changes what they show, never after: queues, dashboard,
status API (lumira/view_cache.py). No sleeps: a write retires entries when its transaction commits.

Most tests run inside pytest-django's transaction, where nothing ever commits: `commit` (Django's
captureOnCommitCallbacks, executed) plays the commit of the writes made in its block. The tests marked
`transaction=True` make real commits and rollbacks. The cached pages themselves: test_view_cache_pages.py.
"""

import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from lumira import view_cache
from orders import services as order_services
from orders.models import Order, OrderStatus
from tests.bench.view_cache_support import HOME, QUEUE, Builds, signed_in_client
from tests.factories import UserFactory, create_order


def _read(build, name="g", parts=("a",)):
    return view_cache.cached("test", parts, depends_on=[name], build=build)


@pytest.mark.django_db
def test_a_value_is_built_once_then_served_until_its_generation_is_retired_on_commit(commit):
    build = Builds()
    assert (_read(build), _read(build)) == (1, 1)

    with commit():
        view_cache.retire("g")

    assert (_read(build), _read(build)) == (2, 2)


@pytest.mark.django_db
def test_a_retirement_waits_for_the_commit_and_a_rollback_retires_nothing(django_capture_on_commit_callbacks):
    build = Builds()
    _read(build)

    with django_capture_on_commit_callbacks() as hooks:
        view_cache.retire("g")
        with pytest.raises(RuntimeError), transaction.atomic():
            view_cache.retire("g")  # in a savepoint that rolls back: its hook goes with it
            raise RuntimeError
        assert _read(build) == 1  # not committed yet: the entry still stands

    assert len(hooks) == 1
    hooks[0]()  # the COMMIT
    assert _read(build) == 2


@pytest.mark.django_db
def test_entries_differ_by_key_parts_and_a_retirement_leaves_other_generations_cached(commit):
    build_a, build_b = Builds(), Builds()
    _read(build_a, "g1", ("a",))
    _read(build_b, "g2", ("b",))

    with commit():
        view_cache.retire("g1")

    _read(build_a, "g1", ("a",))
    _read(build_b, "g2", ("b",))
    assert (build_a.count, build_b.count) == (2, 1)


@pytest.mark.django_db
def test_an_evicted_token_retires_what_was_stored_under_it():
    build = Builds()
    _read(build)
    cache.delete("lumira:gen:g")

    assert (_read(build), _read(build)) == (2, 2)


def test_with_view_cache_seconds_at_zero_every_read_is_built(settings):
    settings.VIEW_CACHE_SECONDS = 0
    build = Builds()
    for _ in range(3):
        _read(build)
    assert build.count == 3


def test_a_cache_outage_neither_fails_a_read_nor_the_write_that_retires(monkeypatch, db, commit):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    for method in ("get_many", "set", "set_many"):
        monkeypatch.setattr(cache, method, broken)
    build = Builds()

    assert _read(build) == 1
    with commit():
        order = create_order()  # its save retires generations on commit: the write goes through all the same
    assert Order.objects.filter(pk=order.pk).exists()


# --- Real commits and rollbacks ------------------------------------------------------------------------


def _status(client: Client, order: Order) -> str:
    return client.get(reverse("payments:api_order_status", args=[order.pk])).json()["order"]["status"]


@pytest.mark.django_db(transaction=True)
def test_a_page_read_after_a_committed_write_shows_the_write(expert):
    """Desk queue, client dashboard, payment status: each read once (and cached), then the order is paid
    through the service (its own transaction, committed), then read again."""
    user = UserFactory()
    order = create_order(client=user)
    desk, dashboard, anonymous = Client(), signed_in_client(user), Client()
    desk.force_login(expert.user)
    before = (desk.get(QUEUE).content.decode(), dashboard.get(HOME).content.decode(), _status(anonymous, order))

    order_services.order_mark_paid(order_id=order.pk)

    after = (desk.get(QUEUE).content.decode(), dashboard.get(HOME).content.decode(), _status(anonymous, order))
    assert order.number not in before[0] and order.number in after[0]  # the queue of paid orders
    assert "En attente de paiement" in before[1] and "Payée" in after[1]
    assert (before[2], after[2]) == ("pending", "paid")


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_retires_nothing(expert, django_assert_num_queries):
    order = create_order()
    desk = Client()
    desk.force_login(expert.user)
    before = desk.get(QUEUE).content.decode()
    tokens = cache.get_many(["lumira:gen:desk", f"lumira:gen:order:{order.pk}"])

    with pytest.raises(RuntimeError), transaction.atomic():
        order_services.order_mark_paid(order_id=order.pk)
        raise RuntimeError("the request failed after the write")

    with django_assert_num_queries(3):  # session, user, expert: still served from the cache
        after = desk.get(QUEUE).content.decode()
    assert cache.get_many(list(tokens)) == tokens
    assert _without_csrf_tokens(after) == _without_csrf_tokens(before)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING


def _without_csrf_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # masked anew for every response
