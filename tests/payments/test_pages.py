"""The order page and the confirmation page (templated, French)."""

import uuid
from datetime import UTC, datetime

import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone

from orders import services as order_services
from orders.models import Offer, Order
from payments.emails import order_paid_email_send
from tests.factories import ExpertFactory, create_order, offer, paid_order

pytestmark = pytest.mark.django_db


def test_the_order_page_lists_every_active_offer_with_its_database_price(client, django_assert_num_queries, stripe_api):
    offer()
    Offer.objects.filter(level=2, service="premium").update(price_cents=8100)
    Offer.objects.filter(level=4, service="vip").update(is_active=False)
    ExpertFactory(name="Oriane Lune", specialties=["Tarot", "Astrologie"], rating="4.90")
    ExpertFactory(name="Elias Soleil")
    ExpertFactory(name="Ancien Expert", is_active=False)

    with django_assert_num_queries(2):  # the active offers; the active experts
        response = client.get(reverse("payments:order"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Commander votre lecture" in page
    assert "81\u00a0€" in page and "27\u00a0€" in page
    assert "179\u00a0€" not in page
    assert "Oriane Lune" in page and "Ancien Expert" not in page
    # Each expert with their specialties and rating, as the seed's expert schema has them.
    assert ">Oriane Lune · Tarot, Astrologie · note 4,9/5</option>" in page
    assert ">Elias Soleil</option>" in page
    assert "Peu importe" in page
    assert f'<script src="{stripe_api.js_url}"></script>' in page
    assert '"publishableKey": "pk_test_lumira_local"' in page
    for label in ('for="name"', 'for="email"', 'for="phone"', 'for="expert"'):
        assert label in page


def test_the_order_page_preselects_the_offer_chosen_on_the_landing_page(client):
    offer()

    page = client.get(reverse("payments:order"), {"level": "intuitive", "service": "premium"}).content.decode()

    checked = page.split('value="intuitive:premium"')[1].split(">")[0]
    assert "checked" in checked
    assert page.count("checked") == 1


def test_the_landing_page_links_each_offer_to_the_order_page(client):
    offer()

    page = client.get(reverse("orders:landing")).content.decode()

    assert 'href="/commander/?level=intuitive&amp;service=premium"' in page


def test_the_confirmation_page_of_a_pending_order_waits_and_polls(client, django_assert_num_queries):
    order = create_order()

    with django_assert_num_queries(1):  # the order with its offer and payment status
        response = client.get(reverse("payments:confirmation", args=[order.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert order.number in page and "79,00\u00a0€" in page
    assert "Nous attendons la confirmation de votre banque" in page
    assert f'hx-get="/commande/{order.pk}/statut/"' in page and 'hx-trigger="every 2s"' in page
    assert "Entrer dans mon Sanctuaire" not in page


def test_the_confirmation_page_of_a_paid_order_says_what_happens_next_and_opens_the_sanctuaire(client):
    order = paid_order()

    page = client.get(reverse("payments:confirmation", args=[order.pk])).content.decode()

    assert "Paiement confirmé" in page and "Et maintenant ?" in page
    assert f'href="/sanctuaire/entrer/{order.pk}/"' in page and "Entrer dans mon Sanctuaire" in page
    assert "hx-trigger" not in page


def test_the_polled_status_block_stops_polling_once_paid(client, django_assert_num_queries):
    order = create_order()
    url = reverse("payments:confirmation_status", args=[order.pk])
    assert 'hx-trigger="every 2s"' in client.get(url).content.decode()
    order_services.order_mark_paid(order_id=order.pk)

    with django_assert_num_queries(1):
        fragment = client.get(url).content.decode()

    assert fragment.lstrip().startswith('<section id="order-status"')
    assert "<html" not in fragment and "hx-trigger" not in fragment
    assert "Entrer dans mon Sanctuaire" in fragment


def test_the_polled_status_block_carries_the_promised_delivery_date_once_paid(client):
    order = create_order()
    url = reverse("payments:confirmation_status", args=[order.pk])
    pending = client.get(url).content.decode()
    assert '<dd id="promised-delivery" hx-swap-oob="true">sous 24 h après le paiement</dd>' in pending
    order = order_services.order_mark_paid(order_id=order.pk).order

    fragment = client.get(url).content.decode()

    # Swapped out of band into the page's summary: the date shows as soon as the payment lands, without reloading.
    promised = f"avant le {date_filter(timezone.localtime(order.delivery_estimate), 'j F Y à H:i')}"
    assert f'<dd id="promised-delivery" hx-swap-oob="true">{promised}</dd>' in fragment
    page = client.get(reverse("payments:confirmation", args=[order.pk])).content.decode()
    assert f'<dd id="promised-delivery">{promised}</dd>' in page and "hx-swap-oob" not in page


def test_a_canceled_order_offers_to_order_again(client):
    order = create_order()
    order_services.order_cancel(order_id=order.pk)

    page = client.get(reverse("payments:confirmation", args=[order.pk])).content.decode()

    assert "Aucun montant n'a été débité" in page
    assert 'href="/commander/?level=intuitive&amp;service=premium"' in page
    assert "Entrer dans mon Sanctuaire" not in page


def test_the_confirmation_page_shows_no_personal_data(client):
    order = create_order(client_phone="+33 6 99 88 77 66")

    page = client.get(reverse("payments:confirmation", args=[order.pk])).content.decode()

    assert order.client_email not in page and "99 88 77 66" not in page and order.client_name not in page


def test_an_unknown_order_has_no_confirmation_page(client):
    assert client.get(reverse("payments:confirmation", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("payments:confirmation_status", args=[uuid.uuid4()])).status_code == 404
    assert client.get("/commande/pas-un-uuid/").status_code == 404


def test_the_paid_email_is_french_and_says_what_happens_next(mailoutbox, settings):
    order = paid_order()

    order_paid_email_send(order_id=order.pk)

    email = mailoutbox[0]
    assert email.subject == f"Lumira — votre commande {order.number} est payée"
    assert "Montant payé : 79,00\u00a0€" in email.body
    assert "Intuitive Premium (60 min)" in email.body
    assert f"{settings.SITE_URL}/commande/{order.pk}/" in email.body
    html = email.alternatives[0][0]
    assert '<html lang="fr">' in html and "Et maintenant ?" in html


def test_the_paid_email_restates_the_withdrawal_waiver_and_the_promised_delivery_time(mailoutbox):
    waived_at = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)  # 10:30 in Paris
    order = paid_order(level=4, service="vip", withdrawal_waived_at=waived_at)
    Order.objects.filter(pk=order.pk).update(paid_at=waived_at)

    order_paid_email_send(order_id=order.pk)

    body = mailoutbox[0].body
    assert "Livraison promise : sous 12 heures, avant le 14 mars 2026 à 22:30" in body
    assert "Droit de rétractation : le 14 mars 2026 à 10:30, vous avez demandé que votre lecture vous soit fournie" in body
    assert "reconnu perdre votre droit de rétractation une fois la lecture livrée" in body
    assert "L221-28" in body
    html = mailoutbox[0].alternatives[0][0]
    assert "sous 12 heures" in html and "reconnu perdre votre droit de rétractation" in html


def test_an_order_without_a_recorded_waiver_gets_no_waiver_paragraph(mailoutbox):
    order = paid_order(service="basic")

    order_paid_email_send(order_id=order.pk)

    assert "Droit de rétractation" not in mailoutbox[0].body
    assert "sous 48 heures" in mailoutbox[0].body
