"""GET /metrics: Prometheus' text format, for staff sessions or `Authorization: Bearer <METRICS_TOKEN>`.

Anyone else gets 404, as if the page did not exist (it tells an outsider about orders and payments).
"""

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess

from .metrics import LumiraCollector, multiprocess_dir


def _allowed(request: HttpRequest) -> bool:
    if request.user.is_authenticated and request.user.is_staff:
        return True
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(header.encode(), f"Bearer {token}".encode())


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        raise Http404
    registry = process_registry()
    registry.register(LumiraCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


def process_registry() -> CollectorRegistry:
    """The counters and request metrics: every gunicorn worker's (multiprocess files) or this process'."""
    registry = CollectorRegistry()
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ProcessMetrics())
    return registry


class _ProcessMetrics:
    """This process' default registry (django-prometheus and the counters) in single-process mode."""

    def collect(self):
        yield from REGISTRY.collect()
