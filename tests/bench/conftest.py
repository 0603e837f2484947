"""Tests of the bench's helpers and of the cached reads the bench led to (lumira/view_cache.py)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages and generation tokens live in the (locmem) cache: each test starts without any."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _view_cache_only_where_writes_commit():
    """The root conftest's fixture of that name, overridden: these tests play the commits (tests of the cache,
    the bench's query counts), so the cache stays on."""


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs the on-commit hooks of the writes in the block at its end, as a COMMIT would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
