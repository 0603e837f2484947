"""The expert's work on an order up to a version to validate: taken, sent to generation, answered or failed."""

import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Order, OrderEvent, OrderStatus
from .core import TransitionResult, changed, content_version_store, lock, record_event, transition
from .errors import AlreadyAssigned, IntakeIncomplete, OrderServiceError, StaleGenerationAttempt

S = OrderStatus


def order_assign(*, order_id, expert, actor=None) -> TransitionResult:
    """An expert takes an order. The first one wins; taking one's own order again is a no-op."""
    with transaction.atomic():
        order = lock(order_id)
        if order.expert_id == expert.pk:
            return TransitionResult(order, changed=False)
        if order.expert_id is not None:
            raise AlreadyAssigned(_("This order is already taken by another expert."))
        if order.status not in (S.PAID, S.PROCESSING, S.AWAITING_VALIDATION):
            raise OrderServiceError(_("Only a paid order can be taken."))
        order.expert = expert
        order.assigned_at = timezone.now()
        order.save(update_fields=["expert", "assigned_at", "updated_at"])
        record_event(order, from_status=order.status, action="assigned", actor=actor, note=str(expert))
        return TransitionResult(order, changed=True)


def order_start_generation(*, order_id, expert, prompt: str, instructions: str = "", actor=None) -> TransitionResult:
    """`paid` → `processing`: the expert (its holder, or an admin) sends the order to generation with a fresh
    attempt id."""

    def check(order: Order) -> None:
        if order.intake_missing:
            raise IntakeIncomplete(order.intake_missing)

    def apply(order: Order) -> None:
        order.expert = order.expert or expert
        order.assigned_at = order.assigned_at or timezone.now()
        order.expert_prompt = prompt
        order.expert_instructions = instructions
        order.generation_attempt_id = uuid.uuid4()
        order.generation_started_at = timezone.now()
        order.last_error = ""

    return transition(order_id, "generation_started", actor=actor, expert=expert, apply=apply, check=check)


def _check_current_attempt(attempt_id) -> Callable[[Order], None]:
    def check(order: Order) -> None:
        if str(order.generation_attempt_id) != str(attempt_id):
            raise StaleGenerationAttempt(_("This callback is not about the current generation."))

    return check


def order_receive_content(*, order_id, attempt_id, content: dict) -> TransitionResult:
    """`processing` → `awaiting_validation`: store the generated version (current attempt only)."""

    def apply(order: Order) -> None:
        order.last_error = ""
        content_version_store(
            order, content, prompt=order.expert_prompt, instructions=order.expert_instructions, attempt_id=attempt_id
        )

    return transition(
        order_id,
        "content_received",
        note=lambda order: f"révision {order.revision_count}",
        call={"attempt_id": attempt_id},
        apply=apply,
        check=_check_current_attempt(attempt_id),
    )


def order_generation_failed(*, order_id, attempt_id, error: str) -> TransitionResult:
    """`processing` → `paid`: generation finally failed; the order goes back to the queue with its error."""

    def apply(order: Order) -> None:
        order.last_error = error
        order.generation_attempt_id = None

    return transition(order_id, "generation_failed", note=error, apply=apply, check=_check_current_attempt(attempt_id))


def order_generation_relaunched(*, order: Order, actor, note: str) -> OrderEvent:
    """The audit row of a stuck generation relaunched by an expert (the moves it makes write their own rows).
    Caller holds the order's lock."""
    return record_event(order, from_status=order.status, action="generation_relaunched", actor=actor, note=note)


def order_generation_error_show(*, order_id, attempt_id, error: str) -> bool:
    """What the desk and the API show while this attempt waits (queue down, next try coming): the order's
    `last_error`, while it is `processing` this very attempt. Not a change of status: no event."""
    with transaction.atomic():
        order = lock(order_id)
        if order.status != S.PROCESSING or order.generation_attempt_id != uuid.UUID(str(attempt_id)):
            return False
        order.last_error = error
        order.save(update_fields=["last_error"])
        changed(order)
    return True


def order_generation_error_clear(*, order_id, error: str) -> bool:
    """The order no longer waits for what `error` said (e.g. the queue is back): its `last_error` is emptied
    when it still says exactly that (compared here, under the lock: the column is encrypted)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None or order.last_error != error:
            return False
        order.last_error = ""
        order.save(update_fields=["last_error"])
        changed(order)
    return True
