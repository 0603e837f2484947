"""The desk in headless Chromium: sign in, take an order, generate with the local generator, reject with a
reason, correct one text, approve on the preview (screenshots in test-artifacts/experts-desk/); the queue at a
phone's and a desktop's width (test-artifacts/desk/)."""

from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from experts.services import expert_create
from orders.models import Order, OrderStatus
from orders.services import order_refresh_chart
from tests.factories import paid_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "experts-desk"
QUEUE_SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "desk"


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {[node['target'] for node in v['nodes']]}"
        for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.long
def test_an_expert_takes_generates_rejects_and_approves_an_order_in_the_desk(live_server, browser, settings):
    settings.GENERATION_BACKEND = "local"
    expert_create(email="oriane@lumira.local", name="Oriane Lune", password="expert-password-123")
    order = paid_order(level=3, service="premium", birth_place="Lyon", birth_time="08:30",
                       birth_date=timezone.datetime(1990, 4, 12).date(),
                       question="Dois-je changer de métier cette année ?", objective="Trouver ma voie")
    order_refresh_chart(order_id=order.pk)
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/desk/login/")
    page.get_by_label("Adresse e-mail").fill("oriane@lumira.local")
    page.get_by_label("Mot de passe").fill("expert-password-123")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="File d'attente")).to_be_visible()
    expect(page.locator("#stats-panel")).to_contain_text("Payée")  # drawn with the page
    page.screenshot(path=ARTIFACTS / "1-queue.png", full_page=True)
    assert serious_violations(page) == []

    row = page.locator(f"#order-row-{order.pk}")
    row.get_by_role("button", name="Prendre").click()
    expect(row).to_contain_text("À vous")  # the row swapped in place by htmx
    row.get_by_role("link", name=order.number).click()

    expect(page.get_by_role("heading", name=f"Commande {order.number}")).to_be_visible()
    # The directive holds no personal data; the exact request, with the client's question, is shown before sending.
    assert "Dois-je changer de métier" not in page.get_by_label("Prompt").input_value()
    page.get_by_text("Ce qui sera envoyé").click()
    expect(page.locator(".generation-request")).to_contain_text("Dois-je changer de métier cette année ?")
    page.screenshot(path=ARTIFACTS / "2-order.png", full_page=True)
    page.get_by_role("button", name="Envoyer en génération").click()

    expect(page.get_by_role("heading", name="Contenu à valider")).to_be_visible()
    expect(page.get_by_role("heading", name="Mandala")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "3-generated.png", full_page=True)
    assert serious_violations(page) == []

    expect(page.locator(".reading")).not_to_contain_text("Votre vie amoureuse")
    page.get_by_label("Motif du rejet (obligatoire)").fill("Parler davantage de l'amour")
    page.get_by_label("Notes pour la révision (facultatives)").fill("Plus concret")
    page.get_by_role("button", name="Rejeter et demander une révision").click()
    expect(page.locator("#order-panel")).to_contain_text("une révision a été demandée")
    # The revision answers the reason (love first) without quoting it.
    expect(page.locator(".reading")).to_contain_text("Votre vie amoureuse")
    expect(page.locator(".reading")).not_to_contain_text("Parler davantage de l'amour")
    page.screenshot(path=ARTIFACTS / "4-revision.png", full_page=True)

    # The expert corrects one text (a new version in their name), then confirms what the client will receive.
    page.get_by_role("link", name="Corriger le texte").click()
    synthesis = page.get_by_label("Synthèse", exact=True)
    synthesis.fill(synthesis.input_value() + " Relu et complété par Oriane.")
    page.screenshot(path=ARTIFACTS / "5-correction.png", full_page=True)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Enregistrer la correction").click()
    expect(page.get_by_text("Correction enregistrée")).to_be_visible()
    page.get_by_role("link", name="Approuver et livrer").click()
    expect(page.get_by_role("heading", name="Aperçu de la lecture livrée")).to_be_visible()
    expect(page.locator(".reading-preview")).to_contain_text("Relu et complété par Oriane.")
    page.screenshot(path=ARTIFACTS / "6-approve-preview.png", full_page=True)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Confirmer : livrer cette lecture").click()
    expect(page.locator("#order-panel")).to_contain_text("Lecture livrée le")
    page.get_by_text("Voir les modifications").first.click()
    expect(page.locator(".version-diff ins").first).to_contain_text("Relu et complété par Oriane.")
    page.screenshot(path=ARTIFACTS / "7-delivered.png", full_page=True)

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{live_server.url}/desk/orders/{order.pk}/")
    expect(phone.get_by_role("heading", name=f"Commande {order.number}")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    phone.screenshot(path=ARTIFACTS / "8-phone.png", full_page=True)

    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED and order.revision_count == 2
    assert Order.objects.get(pk=order.pk).versions.count() == 3
    assert "Relu et complété par Oriane." in order.generated_content["synthesis"]


# Layout shifts after load, summed (the page's CLS as Lighthouse counts it, without user input).
CLS_SCRIPT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => { for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value; })
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 1500);
})"""


def _paid_hours_ago(order: Order, hours: float) -> Order:
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now() - timedelta(hours=hours))
    return order


def test_the_queue_is_cards_on_a_phone_and_a_table_on_a_desktop(live_server, browser):
    """Cards under 700 px with the take button whole, deadlines flagged, nothing moving once drawn (CLS).
    Screenshots at 390 and 1280 px in test-artifacts/desk/."""
    QUEUE_SHOTS.mkdir(parents=True, exist_ok=True)
    expert_create(email="oriane@lumira.local", name="Oriane Lune", password="expert-password-123")
    late = _paid_hours_ago(paid_order(service="premium", level=4), 30)
    vip = _paid_hours_ago(paid_order(service="vip", level=3, question=""), 10)
    _paid_hours_ago(paid_order(service="basic", level=1), 2)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/desk/login/")
    page.get_by_label("Adresse e-mail").fill("oriane@lumira.local")
    page.get_by_label("Mot de passe").fill("expert-password-123")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="File d'attente")).to_be_visible()

    assert page.evaluate(CLS_SCRIPT) < 0.05
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text(late.number)
    expect(rows.first).to_contain_text("En retard")
    expect(rows.nth(1)).to_contain_text("VIP")
    expect(rows.nth(1)).to_contain_text("Incomplet : question")
    assert page.evaluate("getComputedStyle(document.querySelector('tbody tr')).display") == "table-row"
    page.screenshot(path=QUEUE_SHOTS / "queue-1280.png", full_page=True)
    assert serious_violations(page) == []

    phone = context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{live_server.url}/desk/")
    expect(phone.get_by_role("heading", name="File d'attente")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert phone.evaluate("getComputedStyle(document.querySelector('tbody tr')).display") == "block"
    take = phone.locator(f"#order-row-{vip.pk}").get_by_role("button", name="Prendre")
    box = take.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 44  # whole and easy to tap
    phone.screenshot(path=QUEUE_SHOTS / "queue-390.png", full_page=True)
    assert serious_violations(phone) == []
    # The desk's header ("Offres", "File d'attente", sign-out…): each target at least 24 px high, none touching.
    targets = [target.bounding_box() for target in phone.locator(".site-header a, .site-header button").all()]
    assert len(targets) >= 3 and all(target["height"] >= 24 for target in targets)
    for index, one in enumerate(targets):
        for other in targets[index + 1:]:
            apart_x = one["x"] + one["width"] <= other["x"] or other["x"] + other["width"] <= one["x"]
            apart_y = one["y"] + one["height"] <= other["y"] or other["y"] + other["height"] <= one["y"]
            assert apart_x or apart_y
    take.click()
    expect(phone.locator(f"#order-row-{vip.pk}")).to_contain_text("À vous")
