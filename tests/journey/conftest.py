"""The whole journey: a session localstripe, rate limits out of the way, helpers shared by the journey,
accessibility and fuzzing tests."""

import os

import pytest
from django.core.cache import cache

from tests.stripe_support import LocalStripe

# Playwright's sync API runs an event loop in the test's thread; Django would refuse its ORM calls there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def journey_localstripe():
    server = LocalStripe().start()
    yield server
    server.stop()


@pytest.fixture
def stripe_api(journey_localstripe, settings):
    """The site talks to this session's localstripe (PaymentsConfig follows STRIPE_API_BASE)."""
    settings.STRIPE_API_BASE = journey_localstripe.url
    settings.STRIPE_JS_URL = journey_localstripe.js_url
    return journey_localstripe


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # rate-limit counters live in the (locmem) cache
    yield
    cache.clear()
