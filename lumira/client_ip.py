"""The client's IP address, the one key of every per-address limit (DRF throttles, django-ratelimit, axes).

TRUSTED_PROXY_COUNT says how many proxies stand in front of Lumira. With none, the address is the TCP peer
(REMOTE_ADDR) and any X-Forwarded-For is the client's own claim, ignored. With N, each trusted proxy has
appended the address it received the request from, so the client is the Nth entry from the right; entries
further left were written by the client and are never read.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from rest_framework.throttling import AnonRateThrottle


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote  # reached without the proxy (e.g. a health check from inside the network)
    candidate = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # fewer entries than proxies (a misconfiguration) and a client-written value
        return remote


class ClientIPAnonRateThrottle(AnonRateThrottle):
    """DRF's per-address throttle, keyed by `client_ip` instead of DRF's own reading of X-Forwarded-For."""

    def get_ident(self, request) -> str:
        return client_ip(request)
