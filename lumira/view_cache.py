"""Cached reads that no reader sees stale once the write that changed them has committed.

How it works. A cached value (a desk queue page, a client's dashboard, an order's status answer) depends on
named *generations* ("desk", "client:42", "order:<uuid>"). Each generation has a token in the cache, a random
string. An entry is stored together with the tokens its builder read *before* building it, and is served only
while each of those tokens is still the current one (compared when the entry is read back).

A write retires the generations it changes with `retire(name, ...)`, which replaces their tokens with fresh
random ones in `transaction.on_commit`: never inside the transaction, nothing at all if it rolls back, at once
outside a transaction. Each app's `caching.py` says which writes retire what: `orders.signals.order_changed`
(sent on commit for every write of an order, its events or versions, `.update()` ones included), and
post_save/post_delete of the other rows a page shows, whose receivers call `retire` (so on commit too).

Why that is never stale, without any timing assumption. Say a reader reads token T at t0, then builds v (every
query of the build starts after t0), then stores (T, v). Say a write W commits, then is retired at r.
- r before t0: W committed before t0, so the build saw W; v shows it.
- r after t0: the retirement replaced T by a token never used before, so from r on every reader reads a token
  that is not T, and (T, v) is never served again.
So once W's retirement has run, no reader is served a value without W; it runs right after COMMIT, in the
thread that committed, before the service that wrote returns to its caller. A missing token (never set, or
evicted) is replaced by a fresh one, which retires whatever was stored under the old one.

Entries also expire after VIEW_CACHE_SECONDS, which bounds what a write that retires nothing (raw SQL) could
leave behind. VIEW_CACHE_SECONDS=0 turns the cache off. When the cache itself fails (Redis down), reads are
rebuilt and writes go on: the cache never breaks a request.

The CSRF token. A cached page is the same for everyone who may see it but for the session's CSRF token. It is
built with a slot drawn at random for that build (128 bits) as `csrf_token`, stored with it, and each response
puts the reading session's token in the slot's place. The slot never leaves the server (every response
replaces it) and is drawn after the data shown was written, so nothing a user wrote can contain it: only the
token fields the template itself wrote are replaced.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from collections.abc import Callable, Iterable
from functools import partial
from typing import TypeVar

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

logger = logging.getLogger(__name__)
T = TypeVar("T")


def _generation_key(name: str) -> str:
    return f"lumira:gen:{name}"


def retire(*names: str) -> None:
    """Retire every cached entry that depends on one of `names`, once the current transaction commits."""
    if settings.VIEW_CACHE_SECONDS and names:
        transaction.on_commit(partial(_replace_tokens, names))


def on_save_and_delete(receiver: Callable, model: type, dispatch_uid: str) -> None:
    """Connect a retiring `receiver` to `model`'s saves and deletes alike: either may change what a cached page
    shows (the `-save`/`-delete` suffixes keep the two connections apart)."""
    post_save.connect(receiver, sender=model, dispatch_uid=f"{dispatch_uid}-save")
    post_delete.connect(receiver, sender=model, dispatch_uid=f"{dispatch_uid}-delete")


def _replace_tokens(names: tuple[str, ...]) -> None:
    try:
        cache.set_many({_generation_key(name): uuid.uuid4().hex for name in names}, timeout=None)
    except Exception:  # a cache outage must not fail the write (entries still expire after VIEW_CACHE_SECONDS)
        logger.warning("view cache: could not retire %s", ", ".join(names), exc_info=True)


def cached(view: str, parts: Iterable, *, depends_on: Iterable[str], build: Callable[[], T]) -> T:
    """`build()`'s value for this view and these key parts, from the cache while `depends_on` are unretired.

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
        tokens = [found.get(generation_key) for generation_key in generation_keys]
        entry = found.get(key)
        if entry is not None and None not in tokens and entry[0] == tokens:
            return entry[1]
        for index, generation_key in enumerate(generation_keys):
            if tokens[index] is None:  # never set yet, or evicted: start one (or take a concurrent reader's)
                cache.add(generation_key, uuid.uuid4().hex, timeout=None)
                tokens[index] = cache.get(generation_key)
    except Exception:
        logger.warning("view cache: unavailable, %s rebuilt", view, exc_info=True)
        return build()
    # The tokens are read before building: a retirement during the build leaves this entry under old tokens.
    value = build()
    if None not in tokens:
        try:
            cache.set(key, (tokens, value), timeout)
        except Exception:
            logger.warning("view cache: could not store %s", view, exc_info=True)
    return value


def _static_version() -> str:
    """Changes with every collectstatic that changes a file (hashed names in the page): "" without a manifest."""
    return getattr(staticfiles_storage, "manifest_hash", "")


def cached_page(
    request: HttpRequest, view: str, parts: Iterable, *, depends_on: Iterable[str], build: Callable[[str], str]
) -> HttpResponse:
    """A whole HTML page from the cache (see `cached`); `build(csrf_token)` renders it with that token.

    `parts` must name whose page it is (user, role, name shown...); the URL, the language and the static
    files' version are added here. A request with messages waiting is rendered for itself (they are shown
    once), and is never stored.
    """
    storage = getattr(request, "_messages", None)
    if storage is not None and len(storage):  # len() does not mark them as shown
        return HttpResponse(build(get_token(request)))

    def build_with_slot() -> tuple[str, str]:
        slot = f"csrf-slot-{secrets.token_hex(16)}"
        return slot, build(slot)

    page_parts = (*parts, request.scheme, request.get_host(), request.get_full_path(), get_language(), _static_version())
    slot, html = cached(view, page_parts, depends_on=depends_on, build=build_with_slot)
    return HttpResponse(html.replace(slot, get_token(request)))


def cached_json(view: str, parts: Iterable, *, depends_on: Iterable[str], build: Callable[[], dict]) -> HttpResponse:
    """An API answer from the cache (see `cached`), stored already rendered: a hit skips the JSON encoding.

    For the JSON-only API (DEFAULT_RENDERER_CLASSES): the same bytes DRF's JSONRenderer would send.
    """
    from rest_framework.renderers import JSONRenderer

    body = cached(view, parts, depends_on=depends_on, build=lambda: JSONRenderer().render(build()))
    return HttpResponse(body, content_type="application/json")
