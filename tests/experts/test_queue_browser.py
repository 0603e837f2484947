"""The desk queue in headless Chromium at a phone's and a desktop's width: cards under 700 px, the take
button reachable, deadlines flagged, nothing moving once drawn (CLS), no serious axe finding.
Screenshots in test-artifacts/desk/."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from experts.services import expert_create
from orders.models import Order
from tests.factories import paid_order

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "desk"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Layout shifts after load, summed (the page's CLS as Lighthouse counts it, without user input).
CLS_SCRIPT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => { for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value; })
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 1500);
})"""


@pytest.fixture
def chromium():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _serious(page) -> list[str]:
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")]


def _paid_hours_ago(order: Order, hours: float) -> Order:
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now() - timedelta(hours=hours))
    return order


def test_the_queue_is_cards_on_a_phone_and_a_table_on_a_desktop(live_server, chromium):
    expert_create(email="oriane@lumira.local", name="Oriane Lune", password="expert-password-123")
    late = _paid_hours_ago(paid_order(service="premium", level=4), 30)
    vip = _paid_hours_ago(paid_order(service="vip", level=3, question=""), 10)
    _paid_hours_ago(paid_order(service="basic", level=1), 2)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
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
    page.screenshot(path=SHOTS / "queue-1280.png", full_page=True)
    assert _serious(page) == []

    phone = context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{live_server.url}/desk/")
    expect(phone.get_by_role("heading", name="File d'attente")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert phone.evaluate("getComputedStyle(document.querySelector('tbody tr')).display") == "block"
    take = phone.locator(f"#order-row-{vip.pk}").get_by_role("button", name="Prendre")
    box = take.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 44  # whole and easy to tap
    phone.screenshot(path=SHOTS / "queue-390.png", full_page=True)
    assert _serious(phone) == []
    take.click()
    expect(phone.locator(f"#order-row-{vip.pk}")).to_contain_text("À vous")
