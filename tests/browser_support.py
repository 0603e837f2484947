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
