"""The client's journey in headless Chromium: magic link from the outbox → profile → reading → PDF."""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from accounts.models import ClientProfile
from engine.places import resolve_place
from tests.browser_support import CHROMIUM_ARGS, reading_pdf_download
from tests.factories import paid_order

from .conftest import CONTENT, MARKS, completed_order, content_with_intro, image_bytes

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "sanctuaire"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LONG_READING = content_with_intro(
    CONTENT["reading"]["intro"] + "\n\n" + " ".join(["Les cycles de la lune accompagnent vos choix."] * 12)
)


@pytest.fixture
def browser_page():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's Chromium is not installed")
    # The place gazetteer is built once per process (seconds, more on a busy machine): here, not inside the
    # first profile save, whose navigation would otherwise outwait the page's 10 s.
    resolve_place("Lyon")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=PHONE, locale="fr-FR", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
        context.close()
        browser.close()


def _shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(PHONE)


def _no_serious_accessibility_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_client_signs_in_by_email_fills_the_profile_reads_and_downloads_the_reading(
    browser_page, live_server, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    user = get_user_model().objects.get_or_create_client("claire@example.com", full_name="Claire Martin")
    delivered = completed_order(client=user, level=3, content=LONG_READING)
    waiting = paid_order(client=user, level=3)
    page = browser_page

    page.goto(f"{live_server.url}/sanctuaire/")
    assert page.locator("h1").inner_text() == "Entrer dans votre Sanctuaire"
    _shoot(page, "01-login")
    page.get_by_label("Votre adresse e-mail").fill("claire@example.com")
    page.get_by_role("button", name="Recevoir mon lien de connexion").click()
    page.wait_for_url("**/connexion/envoye/")
    assert "Si un compte Lumira existe" in page.content()

    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    page.get_by_role("button", name="Entrer dans mon Sanctuaire").click()

    page.wait_for_url("**/sanctuaire/profil/")
    assert "Commencez par compléter votre profil" in page.content()
    _shoot(page, "02-profile-first")
    _no_serious_accessibility_violations(page)
    page.get_by_label("Date de naissance").fill("1990-04-12")
    page.get_by_label("Heure de naissance").fill("08:30")
    page.get_by_label("Lieu de naissance").fill("Lyon, France")
    page.get_by_label("Votre question").fill("Quelle direction pour ma carrière ?")
    page.get_by_label("Votre objectif").fill("Retrouver confiance.")
    page.get_by_label("Photo de la paume (facultative)").set_input_files(
        {"name": "paume.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(size=(120, 160))}
    )
    page.get_by_role("button", name="Enregistrer mon profil").click()

    page.wait_for_url("**/sanctuaire/")
    assert "Votre profil est enregistré" in page.content()
    assert page.locator(".reading-card").count() == 1
    assert page.locator(".order-card").count() == 2
    _shoot(page, "03-dashboard")
    _no_serious_accessibility_violations(page)
    waiting.refresh_from_db()
    assert waiting.birth_place == "Lyon (Auvergne-Rhône-Alpes)"  # the profile reached the waiting order, resolved
    assert ClientProfile.objects.get(user=user).palm_photo

    page.get_by_role("link", name="Modifier mon profil").click()
    page.wait_for_url("**/sanctuaire/profil/")
    assert page.get_by_label("Lieu de naissance").input_value() == "Lyon (Auvergne-Rhône-Alpes)"  # resolved
    assert page.get_by_alt_text("Photo de la paume actuelle").evaluate("img => img.naturalWidth") == 120
    _shoot(page, "05-profile-edit")
    page.get_by_role("link", name="Mon Sanctuaire", exact=True).click()

    page.get_by_role("link", name=re.compile("Lire ma lecture")).click()
    page.wait_for_url(f"**/sanctuaire/lectures/{delivered.pk}/")
    body = page.content()
    assert MARKS["synthesis"] in body and MARKS["guidance"] not in body  # level 3
    assert page.locator("img.mandala").evaluate("img => img.naturalWidth > 0")
    _shoot(page, "04-reading")
    _no_serious_accessibility_violations(page)

    filename, text = reading_pdf_download(page, tmp_path)
    assert filename == f"lecture-lumira-{delivered.number}.pdf"
    assert "La Prêtresse" in text and MARKS["synthesis"] in text and MARKS["guidance"] not in text
    assert "Claire Martin" in text

    page.get_by_role("button", name="Déconnexion").click()
    page.wait_for_url("**/sanctuaire/connexion/")
    page.goto(f"{live_server.url}/sanctuaire/")
    assert "/sanctuaire/connexion/" in page.url
