"""Acceptance (issue 12), in headless Chromium against the live site and localstripe: a checkout with birth
data reaches the desk with the chart wheel; a checkout without it shows the waiting state on the desk,
and the client is reminded once. Screenshots go to test-artifacts/chart/."""

import time
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from engine.places import resolve_place
from orders.models import Order, OrderStatus
from tests.browser_support import type_card
from tests.factories import ExpertFactory
from tests.payments.helpers import NO_INTAKE, checkout_order, pay_intent_in_stripe
from tests.payments.test_browser import VISA, _serious_accessibility_violations
from tests.server_support import wait_for

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "chart"
EXPERT_PASSWORD = "expert-password-123"


def _desk(browser, live_server, expert):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR").new_page()
    page.goto(live_server.url + "/desk/")
    page.get_by_label("Adresse e-mail").fill(expert.user.email)
    page.get_by_label("Mot de passe").fill(EXPERT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="File d'attente")).to_be_visible()
    return page


def _reminders() -> list:
    return [email for email in mail.outbox if "complétez votre profil" in email.subject]


@pytest.fixture
def gazetteer():
    """The gazetteer built before the page is typed into, as in a worker that has already served a place.

    Its first build costs seconds of CPU (34,000 towns, 350,000 alternate names): on a busy machine that
    alone outlasted the wait for the first suggestion, which is not what these tests are about.
    """
    resolve_place("Paris")


def _order_page(browser, live_server):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()
    page.goto(f"{live_server.url}/commander/?level=intuitive&service=premium")
    page.get_by_label("Nom complet").fill("Camille Lune")
    page.get_by_label("Adresse e-mail").fill("camille.lune@example.com")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    return page


def test_a_checkout_with_birth_data_reaches_the_desk_with_the_chart_wheel(
    browser, live_server, live_stripe, intuitive_premium, gazetteer
):
    expert = ExpertFactory()
    page = _order_page(browser, live_server)
    page.get_by_label("Date de naissance").fill("1985-03-21")
    page.get_by_label("Heure de naissance").fill("14:30")
    place = page.get_by_label("Lieu de naissance")
    place.press_sequentially("Saint-Den", delay=30)
    # The suggestions come from GET /api/places (the offline gazetteer) into the datalist.
    expect(page.locator('#birth-place-options option[value="Saint-Denis (Île-de-France)"]')).to_have_count(1, timeout=15000)
    place.fill("Saint-Denis (Île-de-France)")
    page.get_by_label("Votre question").fill("Quelle voie pour mon travail ?")
    page.get_by_label("Votre objectif").fill("Changer de métier.")
    page.get_by_label("Je demande que ma lecture me soit fournie avant la fin du délai de rétractation").check()
    type_card(page, VISA)
    assert _serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Payer ma lecture").click()
    page.wait_for_url("**/commande/*/", timeout=15000)
    expect(page.get_by_text("Paiement confirmé")).to_be_visible(timeout=15000)

    order = Order.objects.get()
    assert order.status == OrderStatus.PAID and order.birth_place == "Saint-Denis (Île-de-France)"
    assert order.chart["timeKnown"] is True and _reminders() == []

    desk = _desk(browser, live_server, expert)
    desk.goto(f"{live_server.url}/desk/orders/{order.pk}/")
    wheel = desk.locator("#chart .chart-wheel svg")
    expect(wheel).to_be_visible()
    assert wheel.bounding_box()["width"] >= 300
    expect(desk.locator("#chart")).to_contain_text("Soleil")
    expect(desk.locator("#chart")).to_contain_text("Ascendant")
    expect(desk.get_by_role("button", name="Envoyer en génération")).to_be_enabled()
    desk.locator("#chart").scroll_into_view_if_needed()
    desk.screenshot(path=ARTIFACTS / "desk_chart.png", full_page=True)


def test_a_checkout_without_birth_data_waits_on_the_desk_and_reminds_the_client_once(
    browser, live_server, live_stripe, intuitive_premium
):
    expert = ExpertFactory()
    order, _ = checkout_order(Client(), **NO_INTAKE)  # the API leaves the intake optional
    pay_intent_in_stripe(order)  # localstripe's webhook reaches the live site
    wait_for(lambda: Order.objects.filter(pk=order.pk, status=OrderStatus.PAID).exists())
    wait_for(lambda: _reminders())

    desk = _desk(browser, live_server, expert)
    desk.goto(f"{live_server.url}/desk/orders/{order.pk}/")
    expect(desk.locator("#intake-missing")).to_contain_text(
        "En attente du client : il manque la date de naissance et la question."
    )
    expect(desk.get_by_role("button", name="Envoyer en génération")).to_be_disabled()
    expect(desk.locator("#chart")).to_contain_text("Pas de thème natal")
    desk.screenshot(path=ARTIFACTS / "desk_waiting.png", full_page=True)

    time.sleep(1)  # any late or repeated delivery of the payment events has arrived by now
    reminders = _reminders()
    assert len(reminders) == 1 and "/sanctuaire/profil/" in reminders[0].body


def test_the_order_form_asks_for_the_birth_date_and_lists_the_towns_of_an_ambiguous_place(
    browser, live_server, live_stripe, intuitive_premium, gazetteer
):
    page = _order_page(browser, live_server)
    page.get_by_label("Je ne connais pas l'heure").check()
    page.get_by_label("Lieu de naissance").fill("Saint-Denis")
    page.get_by_label("Votre question").fill("Quelle voie pour mon travail ?")
    page.get_by_label("Je demande que ma lecture me soit fournie avant la fin du délai de rétractation").check()
    pay = page.get_by_role("button", name="Payer ma lecture")

    pay.click()
    expect(page.locator("#error-birthDate")).to_have_text("Indiquez votre date de naissance.")
    expect(page.get_by_label("Date de naissance")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Date de naissance").fill("1985-03-21")
    pay.click()
    place_error = page.locator("#error-birthPlace")
    expect(place_error).to_contain_text("Plusieurs villes portent ce nom")
    expect(place_error).to_contain_text("« Saint-Denis (La Réunion) »")
    expect(place_error).to_contain_text("« Saint-Denis (Île-de-France) »")
    expect(page.locator("#error-birthDate")).to_have_text("")
    page.screenshot(path=ARTIFACTS / "order_ambiguous_place.png", full_page=True)
    assert not Order.objects.exists()
