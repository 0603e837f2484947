"""The intake in the Sanctuaire (SPEC §5, §11): the profile edits it with the order page's rules, its
changes reach the waiting orders with a fresh chart, the client is told which order waits for what, and
from level 3 the chart is part of the reading (page and PDF)."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import ClientProfile
from orders.services import order_chart_apply
from tests.factories import paid_order

from .conftest import PROFILE_FORM, complete_profile, completed_order

PROFILE = reverse("sanctuaire:profile")
VALID = {**PROFILE_FORM, "birth_date": "1985-03-21", "birth_time": "14:30", "birth_place": "Paris"}  # a Paris birth


@pytest.mark.django_db
def test_an_ambiguous_place_on_the_profile_lists_the_candidates_and_saves_nothing(client, client_user):
    client.force_login(client_user)

    response = client.post(PROFILE, {**VALID, "birth_place": "Saint-Denis"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Saint-Denis (La Réunion)" in page and "Saint-Denis (Île-de-France)" in page
    assert not ClientProfile.objects.filter(user=client_user).exists()


@pytest.mark.django_db
def test_a_time_that_did_not_exist_is_a_profile_error(client, client_user):
    client.force_login(client_user)

    response = client.post(PROFILE, {**VALID, "birth_date": "2021-03-28", "birth_time": "02:30"})

    assert response.status_code == 400
    assert "heure d&#x27;été" in response.content.decode()


@pytest.mark.django_db
def test_the_profile_needs_a_time_or_the_unknown_box(client, client_user):
    client.force_login(client_user)

    missing = client.post(PROFILE, {**VALID, "birth_time": ""})
    unknown = client.post(PROFILE, {**VALID, "birth_time": "", "birth_time_unknown": "on"})

    assert missing.status_code == 400 and "Je ne connais pas l&#x27;heure" in missing.content.decode()
    assert unknown.status_code == 302
    profile = ClientProfile.objects.get(user=client_user)
    assert not profile.birth_time and profile.is_complete


@pytest.mark.django_db
def test_saving_the_profile_gives_the_waiting_order_its_intake_and_chart(client, client_user):
    order = paid_order(client=client_user, birth_date=None, question="")
    client.force_login(client_user)

    client.post(PROFILE, {**VALID, "birth_time": "", "birth_time_unknown": "on"})

    order.refresh_from_db()
    assert order.intake_missing == [] and order.birth_place == "Paris (Île-de-France)"
    assert order.chart["timeKnown"] is False and order.chart["houses"] is None
    assert order.chart["bodies"][0]["sign"] == "Bélier"


@pytest.mark.django_db
def test_the_profile_page_says_which_order_waits_for_what(client, client_user, django_assert_num_queries):
    waiting = paid_order(client=client_user, birth_date=None, question="")
    paid_order(client=client_user)  # complete: not listed
    client.force_login(client_user)

    # session, user, profile, the client's paid orders
    with django_assert_num_queries(4):
        response = client.get(PROFILE)

    page = response.content.decode()
    assert f"Votre commande {waiting.number} attend votre profil : il manque la date de naissance et la question." in page
    assert page.count("attend votre profil") == 1


@pytest.mark.django_db
def test_the_dashboard_says_which_paid_order_waits_for_its_intake(client, client_user):
    complete_profile(client_user)
    waiting = paid_order(client=client_user, question="")
    client.force_login(client_user)

    page = client.get(reverse("sanctuaire:home")).content.decode()

    card = page[page.index(f"Commande {waiting.number}"):]
    assert "Cette commande attend votre profil : il manque la question." in card


def _charted_reading(client_user, level: int):
    order = completed_order(client=client_user, level=level)
    order.birth_date, order.birth_time, order.birth_place = datetime.date(1985, 3, 21), "14:30", "Paris (Île-de-France)"
    order_chart_apply(order)
    order.save()
    return order


def _charted_reading_as_client(client, client_user, level: int, view: str = "sanctuaire:reading_detail"):
    """`view` (the reading's page or PDF) of a completed, charted order of `level`, got by its client (profile
    complete)."""
    complete_profile(client_user)
    order = _charted_reading(client_user, level=level)
    client.force_login(client_user)
    return client.get(reverse(view, args=[order.pk]))


@pytest.mark.django_db
def test_from_level_3_the_reading_shows_the_chart_wheel_and_table(client, client_user):
    page = _charted_reading_as_client(client, client_user, level=3).content.decode()

    assert "Votre thème astral" in page and 'class="wheel"' in page
    assert '<th scope="row">Soleil</th><td>Bélier</td>' in page


@pytest.mark.django_db
def test_below_level_3_the_reading_has_no_chart(client, client_user):
    page = _charted_reading_as_client(client, client_user, level=2).content.decode()

    assert "Votre thème astral" not in page and "chart-wheel" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(("level", "shown"), [(2, False), (3, True)])
def test_the_pdf_has_the_chart_from_level_3(client, client_user, level, shown):
    response = _charted_reading_as_client(client, client_user, level=level, view="sanctuaire:reading_pdf")

    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    assert ("Votre thème astral" in text) is shown
    assert bool(re.search(r"Soleil :? ?Bélier", text)) is shown  # the positions table


@pytest.mark.django_db
def test_a_payment_keeps_the_intake_typed_at_checkout_and_fills_only_what_it_lacks(client_user):
    from sanctuaire.services import profile_apply_to_orders

    complete_profile(client_user, birth_place="Paris", question="Ancienne question ?")
    order = paid_order(
        client=client_user, birth_date=datetime.date(1985, 3, 21), birth_time="", birth_place="", question="Nouvelle ?",
        objective="",
    )

    profile_apply_to_orders(user=client_user)  # what a payment or a sign-in does

    order.refresh_from_db()
    assert order.question == "Nouvelle ?" and order.birth_date == datetime.date(1985, 3, 21)
    assert not order.birth_place  # never the profile's place mixed with the checkout's birth date
    assert order.objective == "Retrouver confiance."  # what the order lacked comes from the profile


@pytest.mark.django_db
def test_the_profile_api_applies_the_same_place_rule_and_stores_the_resolved_label(client_user):
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(client_user).access_token}")
    url = reverse("sanctuaire:api_profile")

    ambiguous = api.patch(url, {"birthDate": "1985-03-21", "birthPlace": "Saint-Denis"}, format="json")
    resolved = api.patch(url, {"birthDate": "1985-03-21", "birthPlace": "Saint-Denis (La Réunion)"}, format="json")

    assert ambiguous.status_code == 400
    assert "Saint-Denis (Île-de-France)" in ambiguous.json()["error"]["fields"]["birthPlace"][0]
    assert resolved.status_code == 200 and resolved.json()["birthPlace"] == "Saint-Denis (La Réunion)"
