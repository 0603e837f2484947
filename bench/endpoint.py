"""What the bench knows of an endpoint (targets, variants, hooks), and how its SQL queries are counted.

Counting runs in bench/run.py's own process, after django.setup() with the bench settings.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings


@dataclass
class Variant:
    """The same request in another shape (bigger page, later page, more orders): its query count must not grow."""

    label: str
    path: str | None = None
    headers: dict[str, str] | None = None
    page_size: int | None = None


@dataclass
class Endpoint:
    name: str
    path: str
    key: str = ""  # for --only
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    lua: str | None = None  # a wrk script, for requests that differ from one to the next
    note: str = ""
    # Targets (issue 7): requests/s ÷ ceiling at least, p99 ÷ ceiling's p99 at most, queries at most.
    min_ratio: float | None = None
    max_p99_ratio: float | None = None
    max_queries: int | None = None
    variants: list[Variant] = field(default_factory=list)
    # Hooks for endpoints whose requests are used up (webhooks: one per order).
    count: Callable[[], int] | None = None  # in-process query count instead of replaying `path`
    prepare: Callable[[str], None] | None = None  # before the "warmup" and the "measure" wrk runs
    verify: Callable[[], str] | None = None  # after the measure: a note for the table (raises on failure)
    max_requests: Callable[[], int] | None = None  # the measure may not send more (run.py shortens it)
    queries_note: str = ""


@dataclass
class Context:
    workdir: Path
    env: dict
    threads: int = 2
    stripe_base: str = ""


@contextlib.contextmanager
def page_size(size: int | None) -> Iterator[None]:
    """Desk and API page sizes set to `size` for an in-process request."""
    if size is None:
        yield
        return
    from experts.api.views import QueuePagination

    previous = QueuePagination.page_size
    QueuePagination.page_size = size
    try:
        with override_settings(EXPERT_DESK_PAGE_SIZE=size):
            yield
    finally:
        QueuePagination.page_size = previous


def _count(method: str, path: str, headers: dict[str, str], size: int | None = None, *, cache: bool = False) -> int:
    """Queries of one request; with `cache`, of a second identical request (served from the view cache)."""
    client = Client()
    with page_size(size), override_settings(VIEW_CACHE_SECONDS=settings.VIEW_CACHE_SECONDS if cache else 0):
        if cache:
            client.generic(method, path, headers=headers)
        with CaptureQueriesContext(connection) as queries:
            response = client.generic(method, path, headers=headers)
    if response.status_code >= 400 or response.status_code in (301, 302):
        raise RuntimeError(f"{path}: {response.status_code} {response.content[:300]!r}")
    return len(queries)


def count_queries(endpoint: Endpoint) -> tuple[int, str]:
    """SQL queries for one request, counted in-process with the same settings and database, with the view
    cache off (every query the page needs); whether that count stays the same for the endpoint's variants
    (bigger pages, later pages, more orders); and the queries left when the cache serves it."""
    if endpoint.count is not None:
        return endpoint.count(), endpoint.queries_note
    cold = _count(endpoint.method, endpoint.path, endpoint.headers)
    seen = []
    for variant in endpoint.variants:
        n = _count(endpoint.method, variant.path or endpoint.path, variant.headers or endpoint.headers, variant.page_size)
        seen.append(f"{variant.label}: {n}" if n != cold else variant.label)
        if n != cold:
            endpoint.queries_note = "QUERIES GROW"
    notes = []
    if seen:
        notes.append(("queries differ — " if endpoint.queries_note else "same queries with ") + ", ".join(seen))
    warm = _count(endpoint.method, endpoint.path, endpoint.headers, cache=True)
    if warm != cold:
        notes.append(f"{warm} when served from the view cache")
    return cold, "; ".join(notes)


def target_verdict(endpoint: Endpoint, result) -> str:
    """"ok", or "MISS" and what was missed, against the endpoint's targets ("" when it has none)."""
    missed = []
    if endpoint.min_ratio is not None and result.ratio_to_ceiling < endpoint.min_ratio:
        missed.append(f"req/s < {endpoint.min_ratio:.0%}")
    if endpoint.max_p99_ratio is not None and result.p99_to_ceiling > endpoint.max_p99_ratio:
        missed.append(f"p99 > {endpoint.max_p99_ratio:g}x")
    if endpoint.max_queries is not None and (result.queries or 0) > endpoint.max_queries:
        missed.append(f"queries > {endpoint.max_queries}")
    if endpoint.queries_note == "QUERIES GROW":
        missed.append("queries grow")
    if result.non_2xx:
        missed.append("errors")
    if missed:
        return "MISS: " + ", ".join(missed)
    has_target = endpoint.min_ratio is not None or endpoint.max_queries is not None
    return "ok" if has_target else ""
