"""Tests of the bench's helpers and of the cached reads the bench led to (lumira/view_cache.py)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages and generation tokens live in the (locmem) cache: each test starts without any."""
    cache.clear()
    yield
    cache.clear()
