"""Headless Chromium for the browser tests (Playwright's sync API), launched once per test module."""

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS_ROOT = Path(__file__).resolve().parents[1] / "test-artifacts"


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
