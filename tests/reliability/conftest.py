"""Fixtures for the reliability and security suite: localstripe, a private Redis, fresh rate limits."""

import pytest
from django.core.cache import cache

from tests.experts.n8n_stub import n8n_stub  # noqa: F401 (fixture)
from tests.stripe_support import localstripe, stripe_api  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counters live in the cache; every test starts from zero.
    cache.clear()
    yield
    cache.clear()


