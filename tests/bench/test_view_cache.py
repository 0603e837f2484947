"""Cached reads are served until what they show changes, never after: queues, dashboard, status API."""

import re
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import ClientProfile, Expert
from lumira import view_cache
from lumira.view_cache import CSRF_SLOT
from orders import services as order_services
from orders.models import Order
from tests.experts.helpers import api_for
from tests.factories import ExpertFactory, UserFactory, create_order, paid_order

QUEUE = reverse("experts:queue")
QUEUE_API = reverse("experts:api_orders")
HOME = reverse("sanctuaire:home")


@pytest.fixture(autouse=True)
def quick_settle(monkeypatch):
    """A write's settling time (2 s in the app) shortened, so that tests can wait it out."""
    monkeypatch.setattr(view_cache, "SETTLE_SECONDS", 0.05)


def settle() -> None:
    time.sleep(0.06)


class Builds:
    """A `build` callable that counts how often it really ran."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> int:
        self.count += 1
        return self.count


def test_a_value_is_built_once_then_served_until_its_generation_is_bumped():
    build = Builds()

    def read():
        return view_cache.cached("test", ("a",), depends_on=["g"], build=build)

    assert (read(), read()) == (1, 1)
    view_cache.generation_bump("g")
    # Settling: the write may not be committed yet, so reads are built fresh and nothing is stored.
    assert (read(), read()) == (2, 3)
    settle()
    assert (read(), read()) == (4, 4)


def test_entries_differ_by_key_parts_and_a_bump_leaves_other_generations_cached():
    build_a, build_b = Builds(), Builds()
    view_cache.cached("test", ("a",), depends_on=["g1"], build=build_a)
    view_cache.cached("test", ("b",), depends_on=["g2"], build=build_b)

    view_cache.generation_bump("g1")

    view_cache.cached("test", ("a",), depends_on=["g1"], build=build_a)
    view_cache.cached("test", ("b",), depends_on=["g2"], build=build_b)
    assert (build_a.count, build_b.count) == (2, 1)


def test_with_view_cache_seconds_at_zero_every_read_is_built(settings):
    settings.VIEW_CACHE_SECONDS = 0
    build = Builds()
    for _ in range(3):
        view_cache.cached("test", ("a",), depends_on=["g"], build=build)
    assert build.count == 3


def test_a_cache_outage_neither_fails_a_read_nor_the_write_that_bumps(monkeypatch, db):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "get_many", broken)
    monkeypatch.setattr(cache, "set", broken)
    build = Builds()

    assert view_cache.cached("test", ("a",), depends_on=["g"], build=build) == 1
    order = create_order()  # its post_save bumps generations: the save goes through all the same
    assert Order.objects.filter(pk=order.pk).exists()


@pytest.mark.django_db
def test_the_desk_queue_is_served_from_the_cache_until_an_order_changes(expert, django_assert_num_queries):
    client = Client()
    client.force_login(expert.user)
    first = paid_order()
    settle()
    client.get(QUEUE)

    with django_assert_num_queries(3):  # session, user, expert: the list itself comes from the cache
        cached = client.get(QUEUE)
    second = paid_order()
    with django_assert_num_queries(7):  # the new paid order retired it: stats (2), count and page again
        fresh = client.get(QUEUE)

    assert first.number in cached.content.decode() and second.number not in cached.content.decode()
    assert second.number in fresh.content.decode()


@pytest.mark.django_db
def test_a_cached_queue_page_carries_the_csrf_token_of_the_session_that_reads_it(expert):
    order = paid_order()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(expert.user)
    second.force_login(expert.user)
    settle()
    first.get(QUEUE)  # builds and caches the list with its "Prendre" forms

    html = second.get(QUEUE).content.decode()  # the same cached list, for another session
    token = re.search(rf'action="/desk/orders/{order.pk}/take/".*?name="csrfmiddlewaretoken" value="([^"]+)"',
                      html, re.S).group(1)
    response = second.post(reverse("experts:take", args=[order.pk]), {"csrfmiddlewaretoken": token})

    assert CSRF_SLOT not in html
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.expert == expert


@pytest.mark.django_db
def test_an_expert_never_gets_another_experts_cached_queue(expert, other_expert):
    mine = paid_order(expert=expert)
    theirs = paid_order(expert=other_expert)

    mine_page = api_for(expert.user).get(QUEUE_API).json()
    theirs_page = api_for(other_expert.user).get(QUEUE_API).json()

    assert [row["number"] for row in mine_page["results"]] == [mine.number]
    assert [row["number"] for row in theirs_page["results"]] == [theirs.number]


@pytest.mark.django_db
def test_renaming_an_expert_retires_the_queues_that_show_the_name(expert, other_expert):
    admin = ExpertFactory(role="admin")
    paid_order(expert=other_expert)
    api = api_for(admin.user)
    settle()
    api.get(QUEUE_API)

    other_expert.name = "Nouveau Nom"
    other_expert.save()

    assert api.get(QUEUE_API).json()["results"][0]["expert"]["name"] == "Nouveau Nom"


def _signed_in_client(user) -> Client:
    ClientProfile.objects.create(
        user=user, birth_date="1990-01-01", birth_time="08:00", birth_place="Lyon", question="Q ?", objective="O."
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_dashboard_is_cached_per_client_and_refreshed_when_one_of_their_orders_changes(django_assert_num_queries):
    alice, bruno = UserFactory(), UserFactory()
    alice_order, bruno_order = create_order(client=alice), create_order(client=bruno)
    alice_client, bruno_client = _signed_in_client(alice), _signed_in_client(bruno)
    settle()
    alice_client.get(HOME)
    bruno_page = bruno_client.get(HOME).content.decode()

    with django_assert_num_queries(2):  # session, user: the profile check, orders and level come with the page
        before = alice_client.get(HOME).content.decode()
    order_services.order_mark_paid(order_id=alice_order.pk)
    after = alice_client.get(HOME).content.decode()

    assert alice_order.number in before and bruno_order.number not in before
    assert bruno_order.number in bruno_page and alice_order.number not in bruno_page
    assert "En attente de paiement" in before and "Payée" in after


@pytest.mark.django_db
def test_the_status_api_follows_the_order_and_never_caches_an_unknown_id(client):
    order = create_order()
    url = reverse("payments:api_order_status", args=[order.pk])
    settle()
    assert client.get(url).json()["order"]["status"] == "pending"

    order_services.order_mark_paid(order_id=order.pk)
    unknown = reverse("payments:api_order_status", args=["5f0c6a3e-8b1d-4e51-9c1a-2d7f4b9e0a11"])
    entries = _status_entries()

    assert client.get(url).json()["order"]["status"] == "paid"
    assert client.get(unknown).status_code == 404
    assert _status_entries() == entries  # the 404 stored nothing


def _status_entries() -> int:
    return len([key for key in cache._cache if ":view:order-status-api:" in key])  # locmem's own table


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["birth_date", "birth_place", "question", "objective"])  # the time may be unknown
def test_a_profile_that_lost_a_required_field_retires_the_cached_dashboard_and_is_asked_again(missing):
    user = UserFactory()
    client = _signed_in_client(user)
    settle()
    assert client.get(HOME).status_code == 200  # built for a complete profile, and cached
    profile = ClientProfile.objects.get(user=user)
    setattr(profile, missing, None if missing == "birth_date" else "")
    profile.save()

    response = client.get(HOME)

    assert response.status_code == 302 and response.url == reverse("sanctuaire:profile")


def _csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.django_db
def test_a_cached_dashboard_carries_the_csrf_token_of_the_session_that_reads_it():
    user = UserFactory()
    first = _signed_in_client(user)
    second = Client(enforce_csrf_checks=True)
    second.force_login(user)
    settle()
    first.get(HOME)  # builds and caches the page, its logout form included

    html = second.get(HOME).content.decode()
    response = second.post(reverse("sanctuaire:logout"), {"csrfmiddlewaretoken": _csrf_token(html)})

    assert CSRF_SLOT not in html
    assert response.status_code == 302 and "_auth_user_id" not in second.session


@pytest.mark.django_db
def test_a_page_with_a_message_waiting_is_rendered_for_that_request_and_shows_it_once(expert):
    client = Client()
    client.force_login(expert.user)
    settle()
    client.get(QUEUE)  # cached without any message
    order = paid_order()
    settle()
    client.get(QUEUE)
    client.post(reverse("experts:take", args=[order.pk]))  # "Commande prise" waits for the next page

    with_message = client.get(QUEUE).content.decode()
    after = client.get(QUEUE).content.decode()

    assert "Commande prise" in with_message and "Commande prise" not in after


def test_new_static_files_rebuild_a_cached_page(monkeypatch, rf):
    build = Builds()
    request = rf.get(QUEUE)

    def page(static_version: str) -> bytes:
        monkeypatch.setattr(view_cache, "_static_version", lambda: static_version)
        return view_cache.cached_page(request, "test-page", ("someone",), depends_on=["g"],
                                      build=lambda: str(build())).content

    assert [page("v1"), page("v1"), page("v2")] == [b"1", b"1", b"2"]


@pytest.mark.django_db
def test_signing_in_at_the_desk_loads_the_user_with_their_expert_row_in_one_query(expert, django_assert_num_queries):
    client = Client()
    client.post(reverse("experts:login"), {"email": expert.user.email, "password": "expert-password-123"})
    settle()
    client.get(QUEUE)

    with django_assert_num_queries(2):  # session, user with their expert row (the page comes from the cache)
        page = client.get(QUEUE)

    assert page.status_code == 200 and expert.name in page.content.decode()


@pytest.mark.django_db
def test_a_desk_session_stops_working_as_soon_as_the_expert_is_deactivated(expert):
    client = Client()
    client.post(reverse("experts:login"), {"email": expert.user.email, "password": "expert-password-123"})
    assert client.get(QUEUE).status_code == 200

    Expert.objects.filter(pk=expert.pk).update(is_active=False)  # no save(), no signal: checked per request

    response = client.get(QUEUE)
    assert response.status_code == 302 and response.url == reverse("experts:login")
