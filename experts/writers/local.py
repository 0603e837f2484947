"""GENERATION_BACKEND=local: the offline writer (demo, browser tests), no network.

It is the engine's composer (`engine.composer.compose`, SPEC §11): it writes from the order's chart and the
library of French interpretation texts.
"""

from django.utils import timezone

from engine.composer import CompositionRequest, compose
from orders.models import ContentVersion, Order

from ..prompts import instructions_for, prompt_for
from .base import Written

MODEL = "local"


def _previous_content(order: Order) -> dict | None:
    if not order.revision_count:
        return None
    return (
        ContentVersion.objects.filter(order=order, revision=order.revision_count - 1)
        .values_list("content", flat=True).first()
    )


def _composition_request(order: Order) -> dict:
    """The fields of `engine.composer.CompositionRequest` for the order's current revision."""
    return {
        "first_name": order.client_first_name,
        "level": order.level,
        "service": order.service,
        "duration_minutes": order.duration,
        "chart": getattr(order, "chart", None),
        "question": (order.question or "").strip(),
        "objective": (order.objective or "").strip(),
        "expert_prompt": prompt_for(order),
        "expert_instructions": instructions_for(order),
        "delivery_date": timezone.localdate(),
        "seed": f"{order.pk}:{order.revision_count}",
        "revision_reason": (order.rejection_reason or "").strip() if order.revision_count else "",
        "revision_notes": (order.validation_notes or "").strip() if order.revision_count else "",
        "previous_content": _previous_content(order),
    }


def write(*, order, attempt, request) -> Written:
    return Written(content=compose(CompositionRequest(**_composition_request(order))), model=MODEL)
