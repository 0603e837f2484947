"""What Lumira sends to n8n for one attempt (SPEC §9, "Lumira → N8N_WEBHOOK_URL").

Built from the generation request at send time, so that a retry, a resend or a replay always carries the
order's current prompt and revision data. No email, phone or surname: the messages carry the first name only.
"""

import json
from typing import Any

from django.conf import settings
from django.urls import reverse

from orders.catalogue import READING_LANGUAGE
from orders.models import Order

from .generation_request import GenerationRequest


def generation_payload(order: Order, request: GenerationRequest, *, attempt_id) -> dict[str, Any]:
    return {
        "orderId": str(order.pk),
        "orderNumber": order.number,
        "attemptId": str(attempt_id),
        "level": order.level_slug,
        "service": order.service,
        "duration": order.duration,
        "language": READING_LANGUAGE,
        "messages": request.messages,
        "responseSchema": request.response_schema,
        "targetWords": request.target_words,
        "callbackUrl": settings.N8N_CALLBACK_BASE_URL + reverse("experts:api_n8n_callback"),
    }


def encode(payload: dict) -> bytes:
    """The exact bytes that are signed and sent."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
