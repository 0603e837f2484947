"""Cached pages served until a committed write changes what they show: the landing page, the desk queue and the
expert API, the client dashboard, the payment status API; each session gets its own CSRF token and messages
(lumira/view_cache.py).
The cache itself, and real commits and rollbacks: test_view_cache.py."""

import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.models import ClientProfile, Expert
from experts.generation import generation_retry_scheduled
from experts.services import expert_set_active
from lumira import view_cache
from orders import services as order_services
from orders.models import Order
from orders.signals import order_changed
from tests.bench.view_cache_support import HOME, QUEUE, QUEUE_API, Builds, signed_in_client
from tests.experts.helpers import api_for, processing
from tests.factories import ExpertFactory, UserFactory, create_order, offer, paid_order


@pytest.mark.django_db
def test_the_desk_queue_is_served_from_the_cache_until_an_order_changes(expert, django_assert_num_queries, commit):
    client = Client()
    client.force_login(expert.user)
    first = paid_order()
    client.get(QUEUE)

    with django_assert_num_queries(3):  # session, user, expert: the list itself comes from the cache
        cached = client.get(QUEUE)
    with commit():
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
    first.get(QUEUE)  # builds and caches the list with its "Prendre" forms

    html = second.get(QUEUE).content.decode()  # the same cached list, for another session
    token = re.search(rf'action="/desk/orders/{order.pk}/take/".*?name="csrfmiddlewaretoken" value="([^"]+)"', html, re.S).group(
        1
    )
    response = second.post(reverse("experts:take", args=[order.pk]), {"csrfmiddlewaretoken": token})

    assert "csrf-slot-" not in html
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.expert == expert


@pytest.mark.django_db
def test_text_a_client_wrote_is_never_taken_for_the_csrf_slot(expert):
    lookalike = "csrf-slot-" + "0" * 32  # what a slot looks like; each cached page draws its own at random
    paid_order(client_name=f"Camille {lookalike}")
    client = Client()
    client.force_login(expert.user)
    client.get(QUEUE)

    html = client.get(QUEUE).content.decode()  # from the cache

    assert f"Camille {lookalike}" in html


@pytest.mark.django_db
def test_an_expert_never_gets_another_experts_cached_queue(expert, other_expert):
    mine = paid_order(expert=expert)
    theirs = paid_order(expert=other_expert)

    mine_page = api_for(expert.user).get(QUEUE_API).json()
    theirs_page = api_for(other_expert.user).get(QUEUE_API).json()

    assert [row["number"] for row in mine_page["results"]] == [mine.number]
    assert [row["number"] for row in theirs_page["results"]] == [theirs.number]


@pytest.mark.django_db
def test_renaming_an_expert_retires_the_queues_that_show_the_name(expert, other_expert, commit):
    admin = ExpertFactory(role="admin")
    paid_order(expert=other_expert)
    api = api_for(admin.user)
    api.get(QUEUE_API)

    with commit():
        other_expert.name = "Nouveau Nom"
        other_expert.save()

    assert api.get(QUEUE_API).json()["results"][0]["expert"]["name"] == "Nouveau Nom"


@pytest.mark.django_db
def test_a_write_by_update_through_a_service_shows_in_the_queue_once_committed(expert, commit):
    """`generation_retry_scheduled` writes the order with `.update()` (no post_save): the page follows
    through `order_changed`, which orders.services sends on commit for every order write."""
    order = processing(expert)
    api = api_for(expert.user)
    url = f"{QUEUE_API}?status=processing"
    assert api.get(url).json()["results"][0]["lastError"] == ""

    with commit():
        generation_retry_scheduled(order_id=order.pk, attempt_id=order.generation_attempt_id, next_try=2, error="n8n 502")
        # What orders.services does after every write (the writers branch makes the service send it itself).
        transaction.on_commit(
            lambda: order_changed.send(sender=Order, order_id=order.pk, client_id=order.client_id, expert_id=order.expert_id)
        )

    assert api.get(url).json()["results"][0]["lastError"].endswith("n8n 502")


@pytest.mark.django_db
def test_the_dashboard_is_cached_per_client_and_refreshed_when_one_of_their_orders_changes(django_assert_num_queries, commit):
    alice, bruno = UserFactory(), UserFactory()
    alice_order, bruno_order = create_order(client=alice), create_order(client=bruno)
    alice_client, bruno_client = signed_in_client(alice), signed_in_client(bruno)
    alice_client.get(HOME)
    bruno_page = bruno_client.get(HOME).content.decode()

    with django_assert_num_queries(2):  # session, user: the profile check, orders and level come with the page
        before = alice_client.get(HOME).content.decode()
    with commit():
        order_services.order_mark_paid(order_id=alice_order.pk)
    after = alice_client.get(HOME).content.decode()

    assert alice_order.number in before and bruno_order.number not in before
    assert bruno_order.number in bruno_page and alice_order.number not in bruno_page
    assert "En attente de paiement" in before and "Payée" in after


@pytest.mark.django_db
def test_the_status_api_follows_the_order_and_never_caches_an_unknown_id(client, commit):
    order = create_order()
    url = reverse("payments:api_order_status", args=[order.pk])
    assert client.get(url).json()["order"]["status"] == "pending"

    with commit():
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
def test_a_profile_that_lost_a_required_field_retires_the_cached_dashboard_and_is_asked_again(missing, commit):
    user = UserFactory()
    client = signed_in_client(user)
    assert client.get(HOME).status_code == 200  # built for a complete profile, and cached
    profile = ClientProfile.objects.get(user=user)
    with commit():
        setattr(profile, missing, None if missing == "birth_date" else "")
        profile.save()

    response = client.get(HOME)

    assert response.status_code == 302 and response.url == reverse("sanctuaire:profile")


def _csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.django_db
def test_a_cached_dashboard_carries_the_csrf_token_of_the_session_that_reads_it():
    user = UserFactory()
    first = signed_in_client(user)
    second = Client(enforce_csrf_checks=True)
    second.force_login(user)
    first.get(HOME)  # builds and caches the page, its logout form included

    html = second.get(HOME).content.decode()
    response = second.post(reverse("sanctuaire:logout"), {"csrfmiddlewaretoken": _csrf_token(html)})

    assert "csrf-slot-" not in html
    assert response.status_code == 302 and "_auth_user_id" not in second.session


@pytest.mark.django_db
def test_a_page_with_a_message_waiting_is_rendered_for_that_request_and_shows_it_once(expert, commit):
    client = Client()
    client.force_login(expert.user)
    client.get(QUEUE)  # cached without any message
    with commit():
        order = paid_order()
    client.get(QUEUE)
    client.post(reverse("experts:take", args=[order.pk]))  # "Commande prise" waits for the next page

    with_message = client.get(QUEUE).content.decode()
    after = client.get(QUEUE).content.decode()

    assert "Commande prise" in with_message and "Commande prise" not in after


@pytest.mark.django_db
def test_new_static_files_rebuild_a_cached_page(monkeypatch, rf):
    build = Builds()
    request = rf.get(QUEUE)

    def page(static_version: str) -> bytes:
        monkeypatch.setattr(view_cache, "_static_version", lambda: static_version)
        return view_cache.cached_page(
            request, "test-page", ("someone",), depends_on=["g"], build=lambda csrf_token: str(build())
        ).content

    assert [page("v1"), page("v1"), page("v2")] == [b"1", b"1", b"2"]


@pytest.mark.django_db
def test_signing_in_at_the_desk_loads_the_user_with_their_expert_row_in_one_query(expert, django_assert_num_queries):
    client = Client()
    client.post(reverse("experts:login"), {"email": expert.user.email, "password": "expert-password-123"})
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


@pytest.mark.django_db
def test_the_landing_page_is_served_from_the_cache_until_an_offer_or_an_expert_changes(
    expert, django_assert_num_queries, commit
):
    vip = offer(4, "vip")
    landing = reverse("orders:landing")
    Client().get(landing)

    with django_assert_num_queries(0):  # an anonymous visitor: offers and experts come from the cache
        cached = Client().get(landing).content.decode()
    with commit():
        vip.price_cents = 18900
        vip.save()
    repriced = Client().get(landing).content.decode()
    with commit():
        expert_set_active(expert=expert, is_active=False)  # an update, not a save: the service retires the page
    without_expert = Client().get(landing).content.decode()

    assert "179\u00a0€" in cached and expert.name in cached
    assert "189\u00a0€" in repriced and "179\u00a0€" not in repriced
    assert expert.name not in without_expert


@pytest.mark.django_db
def test_a_landing_page_with_a_query_string_is_built_for_itself_and_never_stored(django_assert_num_queries):
    offer(2, "premium")
    Client().get("/?utm_source=newsletter")

    with django_assert_num_queries(2):  # the active offers; the experts shown
        page = Client().get("/?utm_source=newsletter").content.decode()

    assert "utm_source=newsletter" in page  # the language form comes back to the same address
    assert not [key for key in cache._cache if ":lumira:view:landing:" in key]


@pytest.mark.django_db
def test_the_cached_landing_page_carries_each_visitors_own_csrf_token_in_its_language_form():
    offer(2, "premium")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/")

    html = second.get("/").content.decode()  # the page the first visit cached
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = second.post(reverse("set_language"), {"csrfmiddlewaretoken": token, "language": "en", "next": "/"})

    assert "csrf-slot-" not in html
    assert response.status_code == 302
