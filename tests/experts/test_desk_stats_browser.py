"""The admins' stats page in headless Chromium: the chart is drawn, readable and accessible (axe).
Screenshot: test-artifacts/ops/desk-stats.png."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from experts.services import expert_create
from orders.models import Order, OrderStatus
from tests.experts.test_browser import serious_violations
from tests.factories import paid_order

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "ops"


def _month_of_activity(expert) -> None:
    """A plausible month: 1 to 4 paid orders a day, most delivered about a day later."""
    now = timezone.now()
    for day in range(30):
        for n in range(1 + (day * 7) % 4):
            paid_at = now - datetime.timedelta(days=29 - day, hours=n)
            order = paid_order(expert=expert, level=1 + (day + n) % 4, service=("basic", "premium", "vip")[n % 3])
            delivered = paid_at + datetime.timedelta(hours=20 + 6 * n)
            done = delivered < now
            Order.objects.filter(pk=order.pk).update(
                paid_at=paid_at, created_at=paid_at, delivered_at=delivered if done else None,
                status=OrderStatus.COMPLETED if done else OrderStatus.PROCESSING, revision_count=n % 2,
            )


def test_an_admin_reads_a_months_revenue_and_deliveries_on_the_chart(live_server, browser):
    admin = expert_create(email="alma@lumira.local", name="Alma Admin", password="expert-password-123", role="admin")
    _month_of_activity(expert_create(email="oriane@lumira.local", name="Oriane Lune", password="expert-password-123"))
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/desk/login/")
    page.get_by_label("Adresse e-mail").fill(admin.email)
    page.get_by_label("Mot de passe").fill("expert-password-123")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server.url}/desk/stats/")

    chart = page.get_by_role("img", name="Chiffre d'affaires et livraisons par jour, 30 derniers jours")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] > 600 and box["height"] > 200
    expect(page.locator("figcaption")).to_contain_text("lectures livrées")
    expect(page.get_by_role("row", name="Oriane Lune")).to_be_visible()
    page.locator(".business-stats").screenshot(path=ARTIFACTS / "desk-stats.png")
    assert serious_violations(page) == []
