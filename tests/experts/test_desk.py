"""The expert desk: the session login and the queues (list, filters, validation queue, stats)."""

import pytest
from django.urls import reverse

from accounts.models import Expert
from experts.services import expert_set_active
from tests.experts.helpers import HTMX, desk, in_validation, processing
from tests.factories import paid_order

# --- login ------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_login_page_has_a_labelled_form(client):
    page = client.get(reverse("experts:login"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<label for="id_email">' in html and '<label for="id_password">' in html


@pytest.mark.django_db
def test_an_expert_signs_in_to_the_desk_and_lands_on_the_queue(client, expert):
    response = client.post(reverse("experts:login"), {"email": "oriane@lumira.local", "password": "expert-password-123"})

    assert response.status_code == 302 and response["Location"] == reverse("experts:queue")
    expert.refresh_from_db()
    assert expert.last_login_at is not None
    assert client.get(reverse("experts:queue")).status_code == 200


@pytest.mark.django_db
def test_the_login_follows_a_safe_next_and_ignores_an_outside_one(client, expert):
    order = paid_order()
    inside = client.post(reverse("experts:login") + f"?next=/desk/orders/{order.pk}/",
                         {"email": expert.email, "password": "expert-password-123"})
    client.logout()
    outside = client.post(reverse("experts:login") + "?next=https://evil.example/",
                          {"email": expert.email, "password": "expert-password-123"})
    assert inside["Location"] == f"/desk/orders/{order.pk}/"
    assert outside["Location"] == reverse("experts:queue")


@pytest.mark.django_db
def test_a_wrong_password_shows_a_french_error_and_opens_no_session(client, expert):
    response = client.post(reverse("experts:login"), {"email": expert.email, "password": "faux"})

    assert response.status_code == 401
    assert "E-mail ou mot de passe incorrect" in response.content.decode()
    assert client.get(reverse("experts:queue")).status_code == 302


@pytest.mark.django_db
def test_an_inactive_expert_cannot_sign_in_to_the_desk(client, inactive_expert):
    response = client.post(reverse("experts:login"), {"email": "ancien@lumira.local", "password": "expert-password-123"})
    assert response.status_code == 401
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_session_opened_before_deactivation_is_closed_at_the_next_request(expert):
    client = desk(expert)
    Expert.objects.filter(pk=expert.pk).update(is_active=False)

    response = client.get(reverse("experts:queue"))

    assert response.status_code == 302 and response["Location"] == reverse("experts:login")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_deactivated_user_loses_the_desk_too(expert):
    client = desk(expert)
    expert_set_active(expert=expert, is_active=False)
    assert client.get(reverse("experts:queue"))["Location"].startswith(reverse("experts:login"))


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_desk_login(client):
    response = client.get(reverse("experts:validation_queue"))
    assert response.status_code == 302
    assert response["Location"] == reverse("experts:login") + "?next=/desk/validation/"


@pytest.mark.django_db
def test_a_signed_in_client_is_forbidden_on_the_desk(client, client_user):
    client.force_login(client_user)
    assert client.get(reverse("experts:queue")).status_code == 403


@pytest.mark.django_db
def test_logout_is_a_post(expert):
    client = desk(expert)
    assert client.get(reverse("experts:logout")).status_code == 405
    assert client.post(reverse("experts:logout")).status_code == 302
    assert client.get(reverse("experts:queue")).status_code == 302


@pytest.mark.django_db
def test_desk_login_attempts_are_rate_limited(client, expert, settings):
    settings.EXPERT_LOGIN_RATE = "2/m"
    codes = [client.post(reverse("experts:login"), {"email": expert.email, "password": "x"}).status_code for _ in range(3)]
    assert codes == [401, 401, 429]


@pytest.mark.django_db
def test_a_failed_login_keeps_where_the_expert_was_going(client, expert):
    response = client.post(reverse("experts:login"), {"email": expert.email, "password": "faux", "next": "/desk/validation/"})
    assert 'name="next" value="/desk/validation/"' in response.content.decode()


# --- queue, validation queue, stats -----------------------------------------------------------------------

@pytest.mark.django_db
def test_the_queue_page_lists_paid_orders_with_a_constant_number_of_queries(expert, other_expert, django_assert_num_queries):
    client = desk(expert)
    mine = paid_order(expert=expert)
    unassigned = paid_order()
    theirs = paid_order(expert=other_expert)

    # session, user, expert, the stats aggregate and the AI runs' cost (drawn with the page), count, page of
    # orders with their expert
    with django_assert_num_queries(7):
        page = client.get(reverse("experts:queue"))
    for _ in range(25):
        paid_order()
    with django_assert_num_queries(7):  # the same seven for a full page
        full = client.get(reverse("experts:queue"))

    html = page.content.decode()
    assert mine.number in html and unassigned.number in html and theirs.number not in html
    assert "À vous" in html and "Prendre" in html
    assert full.content.decode().count('<tr id="order-row-') == 20
    assert "Page 1 sur 2" in full.content.decode()


@pytest.mark.django_db
def test_the_queue_page_filters_by_status_and_level_and_keeps_filters_across_pages(expert):
    client = desk(expert)
    simple = paid_order(level=1, service="basic")
    running = processing(expert)

    by_level = client.get(reverse("experts:queue"), {"status": "paid", "level": "1"}).content.decode()
    by_status = client.get(reverse("experts:queue"), {"status": "processing"}).content.decode()
    everything = client.get(reverse("experts:queue"), {"status": ""}).content.decode()

    assert simple.number in by_level and running.number not in by_level
    assert running.number in by_status and simple.number not in by_status
    assert simple.number in everything and running.number in everything


@pytest.mark.django_db
def test_an_unknown_filter_falls_back_to_paid_orders(expert):
    client = desk(expert)
    order = paid_order()
    response = client.get(reverse("experts:queue"), {"status": "pending", "level": "9"})
    assert response.status_code == 200 and order.number in response.content.decode()


@pytest.mark.django_db
def test_the_validation_queue_page_previews_content_with_a_constant_number_of_queries(expert, django_assert_num_queries):
    client = desk(expert)
    order = in_validation(expert, content={"archetype": "Le Soleil", "reading": "Une belle lumière vous attend."})

    with django_assert_num_queries(5):  # session, user, expert, count, page of orders
        page = client.get(reverse("experts:validation_queue"))
    for _ in range(5):
        in_validation(expert)
    with django_assert_num_queries(5):
        client.get(reverse("experts:validation_queue"))

    html = page.content.decode()
    assert order.number in html and "Le Soleil" in html and "Une belle lumière" in html


@pytest.mark.django_db
def test_the_stats_page_and_panel_count_orders_per_status(expert, django_assert_num_queries):
    client = desk(expert)
    paid_order()
    paid_order()
    processing(expert)

    with django_assert_num_queries(5):  # session, user, expert, the counts, the AI cost
        page = client.get(reverse("experts:stats"))
    panel = client.get(reverse("experts:stats"), **HTMX)

    html = page.content.decode()
    assert "<h1>Statistiques</h1>" in html and "Traitées aujourd'hui" in html and "Coût estimé de l'IA" in html
    assert "<dt>Payée</dt><dd>2</dd>" in html and "<dt>En cours de génération</dt><dd>1</dd>" in html
    assert "<html" not in panel.content.decode() and "<dd>2</dd>" in panel.content.decode()
