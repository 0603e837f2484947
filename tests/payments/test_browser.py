"""In headless Chromium: a client orders, types a card into localstripe's Stripe.js element, and pays.

Everything is real: the live site, localstripe's API and fake Stripe.js, and localstripe's webhook
delivery to the site. Screenshots go to test-artifacts/payments/.
"""

import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from playwright.sync_api import expect

from orders import services as order_services
from orders.models import Order, OrderStatus
from tests.browser_support import fill_order_form, type_card
from tests.factories import create_order

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "payments"
VISA = "4242424242424242"
DECLINED = "4000000000000341"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


CLIENT = {
    "name": "Camille Lune", "email": "camille.lune@example.com", "phone": "06 12 34 56 78", "birth_date": "1985-03-21",
    "birth_place": "Paris", "question": "Quelle voie pour mon travail ?",
}


def _fill_client(page) -> None:
    fill_order_form(page, **CLIENT)
    page.get_by_label("Je demande que ma lecture me soit fournie avant la fin du délai de rétractation").check()


def _wait_for(predicate, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def _serious_accessibility_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} {[n['target'] + [n.get('failureSummary', '')] for n in violation['nodes']]}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
        # localstripe's fake card element (not ours, absent with real Stripe) has unlabeled inputs.
        and not all("#card-element" in " ".join(node["target"]) for node in violation["nodes"])
    ]


def test_a_client_orders_intuitive_premium_pays_4242_and_sees_the_order_paid(page, live_server, live_stripe, intuitive_premium):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Commander Intuitive Premium").click()

    expect(page.get_by_role("heading", name="Commander votre lecture")).to_be_visible()
    expect(page.get_by_label("Intuitive Premium")).to_be_checked()
    expect(page.locator("#total")).to_have_text("79\u00a0€")
    _fill_client(page)
    type_card(page, VISA)
    assert _serious_accessibility_violations(page) == []
    page.screenshot(path=ARTIFACTS / "1-order-form-filled.png", full_page=True)

    page.get_by_role("button", name="Payer ma lecture").click()

    page.wait_for_url("**/commande/*/", timeout=15000)
    expect(page.get_by_text("Paiement confirmé")).to_be_visible(timeout=15000)
    expect(page.get_by_role("link", name="Entrer dans mon Sanctuaire")).to_be_visible()
    assert _serious_accessibility_violations(page) == []
    page.screenshot(path=ARTIFACTS / "2-confirmation-paid.png", full_page=True)

    order = Order.objects.get()
    assert page.get_by_role("link", name="Entrer dans mon Sanctuaire").get_attribute("href") == f"/sanctuaire/entrer/{order.pk}/"
    assert (order.status, order.amount, order.currency) == (OrderStatus.PAID, 7900, "eur")
    assert order.paid_at is not None
    assert order.events.filter(action="payment_succeeded").count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["camille.lune@example.com"]


def test_the_confirmation_page_shows_the_promised_delivery_date_as_soon_as_the_payment_lands_without_reload(
    page, live_server, transactional_db
):
    order = create_order()
    page.goto(f"{live_server.url}/commande/{order.pk}/")
    promised = page.locator("#promised-delivery")
    expect(promised).to_have_text("sous 24 h après le paiement")
    page.evaluate("window.notReloaded = true")

    order = order_services.order_mark_paid(order_id=order.pk).order  # what the webhook does

    expect(page.get_by_text("Paiement confirmé")).to_be_visible(timeout=10000)
    expect(promised).to_have_text(f"avant le {date_filter(timezone.localtime(order.delivery_estimate), 'j F Y à H:i')}")
    assert page.evaluate("window.notReloaded === true")
    assert page.locator("#promised-delivery").count() == 1


def test_a_declined_card_shows_a_french_error_the_order_stays_pending_and_another_card_pays_it(
    page, live_server, live_stripe, intuitive_premium
):
    page.goto(f"{live_server.url}/commander/?level=intuitive&service=premium")
    _fill_client(page)
    type_card(page, DECLINED)

    page.get_by_role("button", name="Payer ma lecture").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Votre carte a été refusée. Aucun montant n'a été débité", timeout=15000)
    page.screenshot(path=ARTIFACTS / "3-card-declined.png", full_page=True)
    order = Order.objects.get()
    # localstripe's payment_failed webhook reaches the site: the refusal is recorded, the order stays pending.
    _wait_for(lambda: order.events.filter(action="payment_attempt_failed").exists())
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING and order.paid_at is None
    assert order.last_error.startswith("Votre carte a été refusée")
    assert page.url.endswith("/commander/?level=intuitive&service=premium")
    # The form stays editable after a refusal: the client may correct any detail, not only the card.
    expect(page.get_by_label("Nom complet")).to_be_editable()
    expect(page.get_by_label("Intuitive Premium")).to_be_enabled()

    type_card(page, VISA)
    page.get_by_role("button", name="Payer avec cette carte").click()

    page.wait_for_url(f"**/commande/{order.pk}/", timeout=15000)
    expect(page.get_by_text("Paiement confirmé")).to_be_visible(timeout=15000)
    order.refresh_from_db()
    assert Order.objects.count() == 1
    assert order.status == OrderStatus.PAID and order.amount == 7900
    assert order.events.filter(action="payment_succeeded").count() == 1


def test_the_order_form_reports_bad_details_in_french_next_to_each_field_at_phone_width(
    browser, live_server, live_stripe, intuitive_premium
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR", is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/commander/?level=intuitive&service=premium")
    fill_order_form(page, **{**CLIENT, "email": "camille-sans-arobase", "phone": "abc"})

    page.get_by_role("button", name="Payer ma lecture").click()

    expect(page.locator("#error-email")).to_have_text("Saisissez une adresse e-mail valide.")
    expect(page.locator("#error-phone")).to_contain_text("Saisissez un numéro de téléphone valide")
    expect(page.get_by_label("Adresse e-mail")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=ARTIFACTS / "4-form-errors-phone.png", full_page=True)
    assert not Order.objects.exists()
    context.close()
