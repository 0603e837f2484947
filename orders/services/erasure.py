"""A client's erasure request, order by order: what accounting keeps stays, everything else about them goes."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import OrderStatus
from .core import TransitionResult, lock, record_event
from .errors import OrderServiceError

S = OrderStatus

# What accounting keeps of an erased client's order (SPEC: number, amount, currency, dates, level, service,
# status); every other personal, intake or content field is emptied.
ERASED_ORDER_VALUES = {
    "client_name": "",
    "client_email": "",
    "client_phone": "",
    "birth_date": None,
    "birth_time": "",
    "birth_place": "",
    "question": "",
    "objective": "",
    "chart": None,
    "expert_prompt": "",
    "expert_instructions": "",
    "generated_content": None,
    "validation_notes": "",
    "rejection_reason": "",
    "last_error": "",
    "audio_name": "",
}
# An order someone is working on (or owes the client) is not erased under their feet.
ERASURE_BLOCKING_STATUSES = (S.PAID, S.PROCESSING, S.AWAITING_VALIDATION)


def order_erase_personal_data(*, order_id, actor=None) -> TransitionResult:
    """The client asked for erasure: the order keeps what accounting needs, everything else about the client
    goes, from the order, its versions, its events' notes and its generation records. Once per order."""
    with transaction.atomic():
        order = lock(order_id)
        if order.events.filter(action="personal_data_erased").exists():
            return TransitionResult(order, changed=False)
        if order.status in ERASURE_BLOCKING_STATUSES:
            raise OrderServiceError(_("Order {number} is not delivered yet: it cannot be erased.").format(number=order.number))
        for field, value in ERASED_ORDER_VALUES.items():
            setattr(order, field, value)
        order.save(update_fields=[*ERASED_ORDER_VALUES, "updated_at"])
        order.versions.update(content={}, prompt="", instructions="", validation_notes="", rejection_reason="")
        order.events.update(note="")
        # What was sent to a writer holds the intake; a writer's error may quote it.
        order.generation_attempts.update(last_error="", request=None)
        order.ai_runs.update(error="")
        order.dead_letters.update(error="")
        record_event(order, from_status=order.status, action="personal_data_erased", actor=actor)
        return TransitionResult(order, changed=True)
