"""Fixtures for the reliability and security suite: localstripe, a private Redis, fresh rate limits."""

import pytest
from django.core.cache import cache

from tests.stripe_support import LocalStripe


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counters live in the cache; every test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def localstripe():
    server = LocalStripe().start()
    yield server
    server.stop()


@pytest.fixture
def stripe_api(localstripe, settings):
    """This test's Stripe is the session's localstripe (PaymentsConfig follows STRIPE_API_BASE)."""
    settings.STRIPE_API_BASE = localstripe.url
    settings.STRIPE_JS_URL = localstripe.js_url
    return localstripe
