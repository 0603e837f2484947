"""GENERATION_BACKEND=n8n: POST the signed request to the n8n workflow, which calls back with the content."""

import logging

import requests
from django.conf import settings

from .. import signing
from ..payload import encode, generation_payload
from .base import PermanentGenerationError, TransientGenerationError

logger = logging.getLogger(__name__)


def write(*, order, attempt, request) -> None:
    body = encode(generation_payload(order, request, attempt_id=attempt.pk))
    headers = signing.signed_headers(settings.N8N_WEBHOOK_SECRET, body)
    try:
        response = requests.post(
            settings.N8N_WEBHOOK_URL, data=body, headers=headers, timeout=settings.N8N_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except (requests.Timeout, requests.ConnectionError) as error:
        raise TransientGenerationError(f"n8n injoignable ({error.__class__.__name__})") from error
    except requests.RequestException as error:  # e.g. no N8N_WEBHOOK_URL: retrying will not help
        raise PermanentGenerationError(f"requête vers n8n impossible ({error.__class__.__name__})") from error
    if response.status_code >= 500 or response.status_code == 429:
        raise TransientGenerationError(f"n8n a répondu {response.status_code}")
    if response.status_code >= 300:
        raise PermanentGenerationError(f"n8n a refusé la requête ({response.status_code})")
    logger.info("generation request sent", extra={"order_id": str(order.pk), "attempt_id": str(attempt.pk)})
