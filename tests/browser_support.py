"""Headless Chromium for the browser tests (Playwright's sync API), launched once per test module."""

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread

from playwright.sync_api import Browser, Page, sync_playwright
from pypdf import PdfReader

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS_ROOT = Path(__file__).resolve().parents[1] / "test-artifacts"


def fill_order_form(page: Page, *, name: str, email: str, phone: str, birth_date: str, birth_place: str,
                    question: str, birth_time: str | None = None) -> None:
    """Fill the order page's client and birth fields as a client types them; without `birth_time` the client ticks
    "Je ne connais pas l'heure". The withdrawal box is left to the test."""
    page.get_by_label("Nom complet").fill(name)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Téléphone").fill(phone)
    page.get_by_label("Date de naissance").fill(birth_date)
    if birth_time is None:
        page.get_by_label("Je ne connais pas l'heure").check()
    else:
        page.get_by_label("Heure de naissance").fill(birth_time)
    page.get_by_label("Lieu de naissance").fill(birth_place)
    page.get_by_label("Votre question").fill(question)


def type_card(page: Page, number: str) -> None:
    """Type into localstripe's card element (what a client types into Stripe's); a number typed before is cleared."""
    card = page.locator("#card-element")
    card.locator("input[placeholder=number]").fill("")
    card.locator("input[placeholder=number]").press_sequentially(number)
    card.locator("input[placeholder=exp_month]").fill("12")
    card.locator("input[placeholder=exp_year]").fill("30")
    card.locator("input[placeholder=cvc]").fill("123")
    card.locator("input[placeholder=postal_code]").fill("75001")


def reading_pdf_download(page: Page, folder: Path) -> tuple[str, str]:
    """Click the reading's "Télécharger le PDF" link: the file's suggested name, and its text (spaces folded)."""
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le PDF").click()
    download = download_info.value
    path = folder / download.suggested_filename
    download.save_as(path)
    text = " ".join(" ".join(pdf_page.extract_text() for pdf_page in PdfReader(path).pages).split())
    return download.suggested_filename, text


@contextlib.contextmanager
def chromium(*extra_args: str, artifacts: Path | None = None) -> Iterator[Browser]:
    """A launched Chromium (closed afterwards); `artifacts`, the folder screenshots go to, is made first."""
    if artifacts is not None:
        artifacts.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args])
        try:
            yield browser
        finally:
            browser.close()
