"""In headless Chromium: the landing page and the order page at phone and desktop widths.

Screenshots go to test-artifacts/storefront/ (landing-390.png, order-1280.png…); axe finds nothing serious.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Expert
from orders import services as order_services
from orders.models import Order
from tests.factories import ExpertFactory, create_order
from tests.payments.conftest import localstripe  # noqa: F401 (fixture: the order page loads its Stripe.js)
from tests.payments.test_browser import _serious_accessibility_violations

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "storefront"
WIDTHS = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 900}}


@pytest.fixture
def shop(live_server, localstripe, settings, catalogue, legal_pages):  # noqa: F811
    settings.STRIPE_API_BASE = localstripe.url
    settings.STRIPE_JS_URL = localstripe.js_url
    ExpertFactory(name="Oriane Lune", specialties=["Astrologie", "Tarot"], rating="4.90")
    ExpertFactory(name="Elias Soleil", specialties=["Numérologie"], rating="4.70")
    return live_server


def _console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return errors


@pytest.mark.parametrize("width", WIDTHS)
def test_the_landing_page_leads_to_the_order_page_with_the_chosen_offer_shown_first(browser, shop, width):
    context = browser.new_context(viewport=WIDTHS[width], locale="fr-FR", is_mobile=width == "390")
    page = context.new_page()
    errors = _console_errors(page)

    page.goto(shop.url + "/")
    expect(page.get_by_role("heading", name="Votre lecture, préparée et validée par un expert")).to_be_visible()
    expect(page.get_by_role("heading", name="Oriane Lune")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
    assert _serious_accessibility_violations(page) == []
    page.screenshot(path=ARTIFACTS / f"landing-{width}.png", full_page=True)

    page.get_by_role("link", name="Commander Intégrale VIP").click()

    expect(page.get_by_role("heading", name="Commander votre lecture")).to_be_visible()
    chosen = page.locator("#chosen-offer")
    expect(chosen).to_contain_text("Intégrale VIP")
    expect(chosen).to_contain_text("livrée sous 12 h")
    expect(chosen).to_be_in_viewport()
    expect(page.get_by_label("Simple Basic")).to_be_hidden()  # the other offers wait behind "Changer de formule"
    expect(page.locator("#total")).to_have_text("179\u00a0€")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
    assert _serious_accessibility_violations(page) == []
    page.screenshot(path=ARTIFACTS / f"order-{width}.png", full_page=True)

    page.get_by_text("Changer de formule").click()
    page.get_by_label("Simple Premium").check()
    expect(chosen).to_contain_text("Simple Premium")
    expect(page.locator("#total")).to_have_text("59\u00a0€")
    expect(page.locator("#delivery-promise")).to_have_text("Livraison promise sous 24 h après le paiement.")
    assert errors == []
    context.close()


def test_the_error_summary_links_to_each_field_in_error_and_nothing_is_ordered(browser, shop):
    context = browser.new_context(viewport=WIDTHS["390"], locale="fr-FR", is_mobile=True)
    page = context.new_page()
    page.goto(shop.url + "/commander/?level=intuitive&service=premium")
    page.get_by_label("Adresse e-mail").fill("camille-sans-arobase")
    # The birth date and time are checked in the page before anything is sent; the rest by the server.
    page.get_by_label("Date de naissance").fill("1985-03-21")
    unknown_time = page.get_by_label("Je ne connais pas l'heure")
    unknown_time.check()
    # The box and its label on one line, the label beside the box (not bold, alone on the next line).
    box, label = unknown_time.bounding_box(), page.locator("label[for=birthTimeUnknown]").bounding_box()
    assert label["x"] > box["x"] + box["width"] and abs((label["y"] + label["height"] / 2) - (box["y"] + box["height"] / 2)) < 4

    page.get_by_role("button", name="Payer ma lecture").click()

    summary = page.locator("#form-error")
    expect(summary).to_contain_text("Certains champs sont à corriger")
    expect(summary.get_by_role("link", name="Nom complet")).to_have_attribute("href", "#name")
    expect(summary.get_by_role("link", name="Adresse e-mail : Saisissez une adresse e-mail valide.")).to_be_visible()
    waiver_link = summary.get_by_role("link", name="Livraison avant la fin du délai de rétractation")
    expect(waiver_link).to_have_attribute("href", "#withdrawal-waiver")
    expect(page.locator("#error-withdrawalWaiver")).to_contain_text("Cochez la case")
    expect(page.locator("#error-name")).to_have_text("Ce champ ne peut être vide.")
    page.screenshot(path=ARTIFACTS / "order-errors-390.png", full_page=True)

    waiver_link.click()
    expect(page.get_by_label("Je demande que ma lecture me soit fournie")).to_be_focused()
    summary.get_by_role("link", name="Nom complet").click()
    expect(page.get_by_label("Nom complet")).to_be_focused()
    expect(page.get_by_label("Nom complet")).to_be_editable()
    assert _serious_accessibility_violations(page) == []
    assert not Order.objects.exists() and Expert.objects.count() == 2
    context.close()


def test_the_header_links_are_far_enough_apart_to_tap_on_a_phone(browser, shop):
    context = browser.new_context(viewport=WIDTHS["390"], locale="fr-FR", is_mobile=True)
    page = context.new_page()
    page.goto(shop.url + "/")

    boxes = [link.bounding_box() for link in page.locator(".site-header a").all()]

    assert all(box["height"] >= 24 for box in boxes)
    for index, box in enumerate(boxes):
        for other in boxes[index + 1:]:
            overlap_x = box["x"] < other["x"] + other["width"] and other["x"] < box["x"] + box["width"]
            overlap_y = box["y"] < other["y"] + other["height"] and other["y"] < box["y"] + box["height"]
            assert not (overlap_x and overlap_y)
    context.close()


def _luminance(rgb: str) -> float:
    channels = [int(value) / 255 for value in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(element) -> float:
    colors = element.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
    light, dark = sorted((_luminance(color) for color in colors), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_secondary_and_primary_buttons_stay_readable_when_hovered_and_focused(browser, shop):
    order = create_order()
    order_services.order_cancel(order_id=order.pk, note="Test.")
    context = browser.new_context(viewport=WIDTHS["1280"], locale="fr-FR")
    page = context.new_page()
    page.goto(f"{shop.url}/commande/{order.pk}/")
    secondary = page.get_by_role("link", name="Commander à nouveau")

    ratios = {"repos": _contrast(secondary)}
    secondary.hover()
    ratios["survol"] = _contrast(secondary)
    secondary.focus()
    ratios["focus"] = _contrast(secondary)
    page.goto(shop.url + "/")
    primary = page.get_by_role("link", name="Choisir ma lecture")
    primary.hover()
    ratios["principal survolé"] = _contrast(primary)

    assert all(ratio >= 4.5 for ratio in ratios.values()), ratios
    context.close()


@pytest.mark.parametrize("path", ["/cgv/", "/contact/", "/nos-experts/"])
def test_the_legal_contact_and_experts_pages_read_well_on_a_phone(browser, shop, path):
    context = browser.new_context(viewport=WIDTHS["390"], locale="fr-FR", is_mobile=True)
    page = context.new_page()
    errors = _console_errors(page)

    page.goto(shop.url + path)

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert _serious_accessibility_violations(page) == []
    assert errors == []
    page.screenshot(path=ARTIFACTS / f"{path.strip('/')}-390.png", full_page=True)
    context.close()


def test_a_visitor_who_chooses_english_in_the_footer_sees_the_landing_page_in_english_and_can_go_back_to_french(
        browser, live_server, catalogue):
    context = browser.new_context(viewport=WIDTHS["1280"], locale="en-GB")
    page = context.new_page()
    errors = _console_errors(page)
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")  # an English browser still gets French first

    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your reading, prepared and approved by an expert")
    expect(page.get_by_role("link", name="Choose my reading")).to_be_visible()
    screenshots = ARTIFACTS.parent / "ops"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshots / "landing-en.png"), full_page=True)

    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre lecture, préparée et validée par un expert")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert page.url == live_server.url + "/"
    assert errors == []
    context.close()
