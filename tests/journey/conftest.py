"""The whole journey: a session localstripe, rate limits out of the way, helpers shared by the journey,
accessibility and fuzzing tests."""

import os

import pytest
from django.core.cache import cache

from tests.stripe_support import localstripe, stripe_api  # noqa: F401 (fixtures)

# Playwright's sync API runs an event loop in the test's thread; Django would refuse its ORM calls there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # rate-limit counters live in the (locmem) cache
    yield
    cache.clear()
