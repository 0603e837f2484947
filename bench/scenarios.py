"""What `make bench` measures: the endpoints, the fixtures they need, and how queries are counted.

Runs inside bench/run.py after django.setup() with the bench settings (production-like, bench database).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from orders.models import Order, OrderStatus


@dataclass
class Endpoint:
    name: str
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    lua: str | None = None  # a wrk script, for requests that differ from one to the next
    note: str = ""
    queries_path: str | None = None  # for counting queries when the load path is not replayable in-process


@dataclass
class Context:
    workdir: Path
    env: dict
    state: dict = field(default_factory=dict)


def start_side_services(context: Context) -> list[subprocess.Popen]:
    """Processes the endpoints need besides gunicorn (none yet for the read-only endpoints)."""
    return []


def endpoints(context: Context) -> list[Endpoint]:
    sample = Order.objects.filter(status=OrderStatus.COMPLETED).values_list("pk", flat=True).first()
    return [
        Endpoint("ceiling", f"/bench/ceiling/{sample}", note="one primary-key lookup, JSON"),
        Endpoint("landing page", "/"),
    ]


def count_queries(endpoint: Endpoint) -> int:
    """SQL queries for one request, counted in-process with the same settings and database."""
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.generic(endpoint.method, endpoint.queries_path or endpoint.path, headers=endpoint.headers)
    if response.status_code >= 400:
        raise RuntimeError(f"{endpoint.name}: {response.status_code} {response.content[:300]!r}")
    return len(queries)


def before_measure(context: Context, endpoint: Endpoint) -> None:
    return None


def after_measure(context: Context, endpoint: Endpoint) -> str | None:
    return None
