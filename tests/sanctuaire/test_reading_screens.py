"""The reading page of a level-4 reading in Chromium, at phone (390 px) and desktop (1280 px) widths: every
part is there and fits the screen; screenshots kept in test-artifacts/reading/ to be looked at. The reading is
one the offline composer wrote (a VIP Intégrale reading about work), so the screenshots show a real one."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import sync_playwright

from engine.composer import CompositionRequest, compose
from orders.models import Order
from sanctuaire.services import reading_audio_render
from tests.content import sample_chart

from .conftest import complete_profile, completed_order

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reading"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--lang=fr-FR"]
WIDTHS = {390: 844, 1280: 900}
CHART = sample_chart()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_level_4_reading_shows_every_part_and_fits_phone_and_desktop_screens(live_server, client_user):
    complete_profile(client_user)
    content = compose(CompositionRequest(
        first_name="Camille", level=4, service="vip", duration_minutes=90, chart=CHART,
        question="Dois-je changer de poste cette année ?", objective="Retrouver confiance en moi",
        expert_prompt="Insister sur la carrière.", expert_instructions="", delivery_date=date(2026, 12, 1),
        seed="screens",
    ))
    order = completed_order(client=client_user, level=4, content=content)
    Order.objects.filter(pk=order.pk).update(chart=CHART)
    # The approval rendered the audio (orders.signals.order_approved, after commit): a second task has nothing to do.
    assert Order.objects.get(pk=order.pk).audio_name.startswith("reading-audio/")
    assert reading_audio_render(order_id=order.pk) == "skipped"
    session = Client()
    session.force_login(client_user)
    cookie = {"name": django_settings.SESSION_COOKIE_NAME, "value": session.cookies[django_settings.SESSION_COOKIE_NAME].value,
              "url": live_server.url}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for width, height in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
            context.add_cookies([cookie])
            page = context.new_page()
            page.goto(f"{live_server.url}/sanctuaire/lectures/{order.pk}/")

            assert page.locator("h1").inner_text() == content["title"]
            assert page.locator(".reading-text h3").count() == len(content["reading"]["sections"])
            assert page.locator(".ritual-steps li").count() == len(content["ritual"]["steps"])
            assert page.locator(".guidance-day").count() == 30
            assert page.locator(".chart-table tbody tr").count() == 10
            for image in ("img.wheel", "img.mandala"):
                assert page.locator(image).evaluate("img => img.complete && img.naturalWidth > 0"), image
            audio = page.locator("audio")
            assert audio.get_attribute("preload") == "none"
            answer = context.request.get(live_server.url + audio.get_attribute("src"), headers={"Range": "bytes=0-3"})
            assert answer.status == 206 and answer.body() == b"OggS"
            assert "Passer au niveau" not in page.content()
            # The wheel is drawn large enough to read and the positions table shows every column, unclipped.
            assert page.locator("img.wheel").evaluate("img => img.getBoundingClientRect().width") >= min(300, width - 80)
            table = page.locator(".reading-chart .table-scroll").evaluate("box => [box.scrollWidth, box.clientWidth]")
            assert table[0] <= table[1] + 1, (width, table)
            # Nothing wider than the screen: no sideways scrolling on a phone.
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(ARTIFACTS / f"reading-{width}.png"), full_page=True)
            context.close()
        browser.close()
