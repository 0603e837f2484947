"""Django admin for experts and staff: experts browse orders read-only; only admins edit."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from experts.models import AIRun, AIRunOutcome, DeadLetterStatus, GenerationAttempt
from experts.services import expert_create
from orders.models import OrderStatus
from tests.experts.helpers import dead_letter, in_validation, processing
from tests.factories import create_order, paid_order


@pytest.fixture
def desk_expert(db):
    return expert_create(email="iris@lumira.local", name="Iris Nova", password="expert-password-123")


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_an_expert_browses_and_searches_orders_with_their_history(desk_expert):
    order = in_validation(desk_expert)
    other = paid_order()
    client = admin_client(desk_expert.user)

    listing = client.get(reverse("admin:orders_order_changelist"), {"q": order.number})
    detail = client.get(reverse("admin:orders_order_change", args=[order.pk]))

    assert listing.status_code == 200
    assert order.number in listing.content.decode() and other.number not in listing.content.decode()
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "content_received" in html  # the events inline
    assert 'name="_save"' not in html  # view only


@pytest.mark.django_db
def test_an_expert_cannot_change_an_order_in_the_admin(desk_expert):
    order = paid_order()
    response = admin_client(desk_expert.user).post(
        reverse("admin:orders_order_change", args=[order.pk]), {"expert_prompt": "piraté"}
    )
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    ["admin:orders_offer_changelist", "admin:accounts_expert_changelist", "admin:experts_deadletter_changelist",
     "admin:accounts_expert_add"],
)
def test_offers_experts_and_dead_letters_are_for_admins_only(desk_expert, url_name):
    assert admin_client(desk_expert.user).get(reverse(url_name)).status_code == 403


@pytest.mark.django_db
def test_an_admin_sees_dead_letters_and_replays_them(admin_expert, expert, django_capture_on_commit_callbacks):
    letter = dead_letter(expert)
    client = admin_client(admin_expert.user)

    listing = client.get(reverse("admin:experts_deadletter_changelist"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:experts_deadletter_changelist"),
            {"action": "replay", "_selected_action": [letter.pk]}, follow=True,
        )

    assert listing.status_code == 200 and letter.order.number in listing.content.decode()
    assert "1 renvoyée(s) en génération" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == DeadLetterStatus.REPLAYED and letter.resolved_by == admin_expert.user
    letter.order.refresh_from_db()
    assert letter.order.status == OrderStatus.AWAITING_VALIDATION  # the local generator answered


@pytest.mark.django_db
def test_deactivating_an_expert_in_the_admin_closes_their_account(admin_expert, desk_expert):
    client = admin_client(admin_expert.user)
    url = reverse("admin:accounts_expert_change", args=[desk_expert.pk])
    form = {"user": desk_expert.user_id, "name": desk_expert.name, "role": "expert", "specialties": "[]", "rating": ""}

    response = client.post(url, form)  # is_active unchecked

    assert response.status_code == 302
    desk_expert.refresh_from_db()
    desk_expert.user.refresh_from_db()
    assert desk_expert.is_active is False and desk_expert.user.is_active is False
    assert Client().login(email="iris@lumira.local", password="expert-password-123") is False


@pytest.mark.django_db
def test_the_experts_group_gets_view_permissions_on_orders(desk_expert):
    permissions = set(desk_expert.user.get_all_permissions())
    assert permissions == {"orders.view_order", "orders.view_orderevent", "orders.view_contentversion"}


@pytest.mark.django_db
def test_generation_attempts_are_read_only_in_the_admin(admin_expert, expert):
    order = processing(expert)
    client = admin_client(admin_expert.user)
    listing = client.get(reverse("admin:experts_generationattempt_changelist"))
    assert listing.status_code == 200 and order.number in listing.content.decode()
    assert client.get(reverse("admin:experts_generationattempt_add")).status_code == 403


@pytest.mark.django_db
def test_an_admin_lists_the_ai_runs_read_only_and_never_sees_the_request_sent(admin_expert, expert, django_assert_num_queries):
    order = processing(expert)
    for index in range(3):
        AIRun.objects.create(attempt_id=order.generation_attempt_id, order=order, backend="openai", model="gpt-4o-mini",
                             prompt_tokens=1000 + index, completion_tokens=2000, latency_ms=900,
                             cost_eur=Decimal("0.0012"), outcome=AIRunOutcome.SUCCEEDED)
    GenerationAttempt.objects.filter(pk=order.generation_attempt_id).update(request={"messages": [{"content": "Camille"}]})
    client = admin_client(admin_expert.user)
    client.get(reverse("admin:experts_airun_changelist"))  # warm the session and content types

    with django_assert_num_queries(9):  # the same for 3 runs or 300: the order comes with each run
        listing = client.get(reverse("admin:experts_airun_changelist"))
    attempt_page = client.get(reverse("admin:experts_generationattempt_change", args=[order.generation_attempt_id]))

    html = listing.content.decode()
    assert listing.status_code == 200 and order.number in html and "gpt-4o-mini" in html and "1002" in html
    assert client.get(reverse("admin:experts_airun_add")).status_code == 403
    assert attempt_page.status_code == 200 and "requête envoyée" not in attempt_page.content.decode()


@pytest.mark.django_db
def test_an_expert_sees_in_the_admin_only_the_orders_the_desk_shows_them_and_no_email_search(desk_expert, expert):
    own = in_validation(desk_expert)
    unassigned = paid_order(birth_place="Brest-UNASSIGNED")
    others = paid_order(expert=expert, birth_place="Nice-OTHER-EXPERT")
    pending = create_order(birth_place="Metz-PENDING")
    client = admin_client(desk_expert.user)

    listing = client.get(reverse("admin:orders_order_changelist")).content.decode()
    by_email = client.get(reverse("admin:orders_order_changelist"), {"q": others.client_email}).content.decode()
    hidden = [client.get(reverse("admin:orders_order_change", args=[order.pk])) for order in (others, pending)]

    def listed(order, html):
        return reverse("admin:orders_order_change", args=[order.pk]) in html

    assert listed(own, listing) and listed(unassigned, listing)
    assert not listed(others, listing) and not listed(pending, listing)
    assert not listed(others, by_email)
    assert all(response.status_code == 302 for response in hidden)
    assert client.get(reverse("admin:orders_order_change", args=[unassigned.pk])).status_code == 200


@pytest.mark.django_db
def test_an_admin_sees_every_order_and_searches_clients_by_email(admin_expert, expert):
    others = paid_order(expert=expert)
    pending = create_order()
    client = admin_client(admin_expert.user)

    by_email = client.get(reverse("admin:orders_order_changelist"), {"q": others.client_email}).content.decode()

    assert reverse("admin:orders_order_change", args=[others.pk]) in by_email
    assert client.get(reverse("admin:orders_order_change", args=[pending.pk])).status_code == 200
