"""GENERATION_BACKEND=local: the offline writer (demo, browser tests), no network.

It uses the engine's composer (`engine.composer.compose`, SPEC §11) when that package is installed, else
the built-in stand-in `experts.local_generator`; both take the same fields (engine/INTERFACE.md).
"""

import importlib
import importlib.util

from django.utils import timezone

from orders.models import ContentVersion, Order

from .. import local_generator
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


def _engine_composer():
    """`engine.composer` once part 3 has landed (a package defining `compose`), else None."""
    if importlib.util.find_spec("engine.composer") is None:
        return None
    module = importlib.import_module("engine.composer")
    return module if hasattr(module, "compose") else None


def write(*, order, attempt, request) -> Written:
    fields = _composition_request(order)
    composer = _engine_composer()
    if composer is not None:
        return Written(content=composer.compose(composer.CompositionRequest(**fields)), model=MODEL)
    return Written(content=local_generator.compose_reading(fields, birth_date=order.birth_date), model=MODEL)
