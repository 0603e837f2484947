"""Cached reads that are never stale: entries are tagged with generation tokens, which change on every write.

A page such as an expert's queue or a client's dashboard is rebuilt only when something it shows has
changed. Each cached entry records the tokens of the generations it depends on (e.g. "desk", or
"client:42"); a write retires the token (`generation_bump`, from post_save receivers, so that services,
the admin and commands are all covered), and later reads see a different token and rebuild.

A write happens inside a transaction that commits a little later, and a read in between would build
from the snapshot without it. So the bump first marks the generation as *settling* for SETTLE_SECONDS:
meanwhile reads are built fresh and not stored; afterwards a new token starts and caching resumes. This
assumes a transaction commits within SETTLE_SECONDS of its last order save, which holds in this code
(services save last, then commit). The bump needs no on_commit hook, so it adds nothing to a transaction.

Entries also expire after VIEW_CACHE_SECONDS, which bounds what a write that bypasses the ORM (raw SQL)
could leave behind. VIEW_CACHE_SECONDS=0 turns the cache off. When the cache itself fails (Redis down)
reads are rebuilt and writes go on: a cache never breaks a request.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

logger = logging.getLogger(__name__)
T = TypeVar("T")
SETTLE_SECONDS = 2
_SETTLING = "settling"
# Stands for the CSRF token in a cached page (a token differs per session): a page is rendered with it as
# `csrf_token` and every response puts the requesting session's token in its place.
CSRF_SLOT = "lumira-csrf-slot-5d0c9b7e2a41f3c6"


def _generation_key(name: str) -> str:
    return f"lumira:gen:{name}"


def generation_bump(name: str) -> None:
    """Retire every cached entry that depends on `name` (see the module docstring for the settling time)."""
    if not settings.VIEW_CACHE_SECONDS:
        return
    try:
        cache.set(_generation_key(name), _SETTLING, timeout=SETTLE_SECONDS)
    except Exception:  # a cache outage must not fail the write that bumps it
        logger.warning("view cache: could not bump generation %s", name, exc_info=True)


def cached(view: str, parts: Iterable, *, depends_on: Iterable[str], build: Callable[[], T]) -> T:
    """`build()`'s value for this view and these key parts, from the cache while `depends_on` are unchanged.

    `parts` must hold everything the value depends on besides the generations (user, role, path, language).
    """
    timeout = settings.VIEW_CACHE_SECONDS
    if not timeout:
        return build()
    digest = hashlib.sha256(repr((view, *parts)).encode()).hexdigest()[:32]
    key = f"lumira:view:{view}:{digest}"
    generation_keys = [_generation_key(name) for name in depends_on]
    try:
        found = cache.get_many([key, *generation_keys])
    except Exception:
        logger.warning("view cache: unavailable, %s rebuilt", view, exc_info=True)
        return build()
    tokens = [found.get(generation_key) for generation_key in generation_keys]
    if _SETTLING in tokens:
        return build()  # a write may not be committed yet: serve fresh, store nothing
    entry = found.get(key)
    if entry is not None and None not in tokens and entry[0] == tokens:
        return entry[1]
    try:
        for index, generation_key in enumerate(generation_keys):
            if tokens[index] is None:  # never bumped yet, or evicted: start one (or take a concurrent one)
                cache.add(generation_key, uuid.uuid4().hex, timeout=None)
                tokens[index] = cache.get(generation_key)
    except Exception:
        return build()
    if None in tokens or _SETTLING in tokens:
        return build()
    # Tokens read before building: a write during the build leaves this entry under retired tokens.
    value = build()
    try:
        cache.set(key, (tokens, value), timeout)
    except Exception:
        logger.warning("view cache: could not store %s", view, exc_info=True)
    return value


def _static_version() -> str:
    """Changes with every collectstatic that changes a file (hashed names in the page): "" without a manifest."""
    return getattr(staticfiles_storage, "manifest_hash", "")


def cached_page(request: HttpRequest, view: str, parts: Iterable, *, depends_on: Iterable[str],
                build: Callable[[], str]) -> HttpResponse:
    """A whole HTML page from the cache (see `cached`), built with `csrf_token` set to CSRF_SLOT.

    `parts` must name whose page it is (user, role, name shown...); the URL, the language and the static
    files' version are added here. A request with messages waiting is rendered for itself (they are shown
    once), and is never stored.
    """
    storage = getattr(request, "_messages", None)
    if storage is not None and len(storage):  # len() does not mark them as shown
        html = build()
    else:
        page_parts = (*parts, request.scheme, request.get_host(), request.get_full_path(), get_language(),
                      _static_version())
        html = cached(view, page_parts, depends_on=depends_on, build=build)
    return HttpResponse(html.replace(CSRF_SLOT, get_token(request)))


def cached_json(view: str, parts: Iterable, *, depends_on: Iterable[str], build: Callable[[], dict]) -> HttpResponse:
    """An API answer from the cache (see `cached`), stored already rendered: a hit skips the JSON encoding.

    For the JSON-only API (DEFAULT_RENDERER_CLASSES): the same bytes DRF's JSONRenderer would send.
    """
    from rest_framework.renderers import JSONRenderer

    body = cached(view, parts, depends_on=depends_on, build=lambda: JSONRenderer().render(build()))
    return HttpResponse(body, content_type="application/json")
