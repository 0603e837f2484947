"""What Lumira sends to the generator for one attempt (SPEC §9, "Lumira → N8N_WEBHOOK_URL").

Built from the order at send time, so that a retry, a resend or a replay always carries the order's
current prompt and revision data.
"""

import json
from typing import Any

from django.conf import settings
from django.urls import reverse

from orders.models import ContentVersion, Order


def _previous_content(order: Order) -> dict | None:
    previous = (
        ContentVersion.objects.filter(order=order, revision=order.revision_count - 1).values_list("content", flat=True).first()
    )
    return previous


def generation_payload(order: Order, *, attempt_id) -> dict[str, Any]:
    revision = None
    if order.revision_count > 0:
        revision = {
            "number": order.revision_count,
            "rejectionReason": order.rejection_reason,
            "validationNotes": order.validation_notes,
            "previousContent": _previous_content(order),
        }
    expert = order.expert
    return {
        "orderId": str(order.pk),
        "orderNumber": order.number,
        "attemptId": str(attempt_id),
        "level": order.level_slug,
        "levelName": order.level_name,
        "service": order.service,
        "duration": order.duration,
        "client": {
            "firstName": order.client_first_name,
            "lastName": order.client_last_name,
            "email": order.client_email,
            "birthDate": order.birth_date.isoformat() if order.birth_date else None,
            "birthTime": order.birth_time or "",
            "birthPlace": order.birth_place or "",
            "question": order.question or "",
            "objective": order.objective or "",
        },
        "expertPrompt": order.expert_prompt,
        "expertInstructions": order.expert_instructions,
        "expert": {"id": expert.pk, "name": expert.name} if expert else None,
        "revision": revision,
        "callbackUrl": settings.N8N_CALLBACK_BASE_URL + reverse("experts:api_n8n_callback"),
    }


def encode(payload: dict) -> bytes:
    """The exact bytes that are signed and sent."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
