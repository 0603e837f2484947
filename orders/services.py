"""Every change of an order's state happens here, and only here.

Each public function is one transition of SPEC §2. They share `_transition`, which:
- locks the order row (`select_for_update`) inside `transaction.atomic()`,
- returns without effect when the order is already in the target state (repeats are harmless),
- refuses a move that `TRANSITIONS` does not list with `InvalidTransition`,
- writes one `OrderEvent` in the same transaction.
Emails and tasks that follow a transition are started by the caller with `transaction.on_commit`.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .charts import chart_for_intake
from .models import (
    INTAKE_LABELS,
    INTAKE_REQUIRED,
    ContentVersion,
    Offer,
    Order,
    OrderEvent,
    OrderNumberSequence,
    OrderStatus,
    VersionOutcome,
)

S = OrderStatus


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str


# The only moves an order can make (SPEC §2), one per service function below. Anything else is refused.
TRANSITIONS: dict[str, Transition] = {
    "payment_succeeded": Transition(frozenset({S.PENDING, S.FAILED}), S.PAID),
    "payment_failed": Transition(frozenset({S.PENDING}), S.FAILED),
    "canceled": Transition(frozenset({S.PENDING, S.FAILED}), S.CANCELED),
    "generation_started": Transition(frozenset({S.PAID}), S.PROCESSING),
    "content_received": Transition(frozenset({S.PROCESSING}), S.AWAITING_VALIDATION),
    "generation_failed": Transition(frozenset({S.PROCESSING}), S.PAID),
    "approved": Transition(frozenset({S.AWAITING_VALIDATION}), S.COMPLETED),
    "rejected": Transition(frozenset({S.AWAITING_VALIDATION}), S.PROCESSING),
    "refunded": Transition(frozenset({S.PAID, S.PROCESSING, S.AWAITING_VALIDATION, S.COMPLETED}), S.REFUNDED),
}
# A payment failure can be followed by a success on the same PaymentIntent (the client retries with
# another card): money taken wins, hence FAILED among the sources of payment_succeeded.


class OrderServiceError(Exception):
    """Base class: a business rule refused the request. `message` is safe to show (French)."""

    code = "order_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidTransition(OrderServiceError):
    code = "invalid_transition"

    def __init__(self, order: Order, to_status: str) -> None:
        super().__init__(
            f"La commande {order.number} est « {order.get_status_display()} » : "
            f"passage à « {S(to_status).label} » impossible."
        )
        self.order = order
        self.from_status = order.status
        self.to_status = to_status


class StaleGenerationAttempt(OrderServiceError):
    code = "stale_attempt"


class AlreadyAssigned(OrderServiceError):
    code = "already_assigned"


class IntakeIncomplete(OrderServiceError):
    """Generation needs a birth date and a question (SPEC §5); `missing` lists the API names lacking."""

    code = "intake_incomplete"

    def __init__(self, missing: list[str]) -> None:
        labels = " et ".join(str(INTAKE_LABELS[name]) for name in missing)
        super().__init__(
            f"Impossible d'envoyer en génération : il manque {labels} (le client est invité à compléter son profil)."
        )
        self.missing = missing


class StaleVersion(OrderServiceError):
    """A validation names a content version that is no longer the one waiting (a revision has landed since)."""

    code = "stale_version"


@dataclass(frozen=True)
class TransitionResult:
    order: Order
    changed: bool


def can_transition(action: str, from_status: str) -> bool:
    return from_status in TRANSITIONS[action].sources


def _lock(order_id) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def _record_event(order: Order, *, from_status: str, action: str, actor=None, note: str = "") -> OrderEvent:
    return OrderEvent.objects.create(
        order=order, from_status=from_status, to_status=order.status, action=action, actor=actor, note=note
    )


def _transition(
    order_id,
    action: str,
    *,
    actor=None,
    note: str = "",
    apply: Callable[[Order], None] | None = None,
    check: Callable[[Order], None] | None = None,
    already_done: Callable[[Order], bool] | None = None,
) -> TransitionResult:
    to_status = TRANSITIONS[action].target
    with transaction.atomic():
        order = _lock(order_id)
        if order.status == to_status or (already_done is not None and already_done(order)):
            return TransitionResult(order, changed=False)
        if not can_transition(action, order.status):
            raise InvalidTransition(order, to_status)
        if check is not None:
            check(order)
        from_status = order.status
        order.status = to_status
        if apply is not None:
            apply(order)
        order.save()
        _record_event(order, from_status=from_status, action=action, actor=actor, note=note)
        return TransitionResult(order, changed=True)


def _next_order_number(today: date) -> str:
    # One counter row per day, incremented under a row lock: numbers are unique and gap-free per day.
    try:
        with transaction.atomic():
            OrderNumberSequence.objects.get_or_create(day=today)
    except IntegrityError:
        pass  # another request created today's row first
    updated = OrderNumberSequence.objects.filter(day=today).update(last_value=F("last_value") + 1)
    assert updated == 1
    value = OrderNumberSequence.objects.values_list("last_value", flat=True).get(day=today)
    return f"LU{today:%Y%m%d}{value:05d}"


WITHDRAWAL_WAIVER_NOTE = "Livraison demandée avant la fin du délai de rétractation ; renonciation reconnue (L221-28 13°)."


def order_create(
    *,
    offer: Offer,
    client,
    client_name: str,
    client_email: str,
    client_phone: str = "",
    expert=None,
    actor=None,
    intake: dict | None = None,
    withdrawal_waived_at=None,
) -> Order:
    """A new `pending` order priced from the offer (never from the request), with the client's intake
    (`orders.intake.IntakeForm.intake`, already validated) and the chart computed from it.

    `withdrawal_waived_at`: when the client asked for delivery before the end of the withdrawal period
    (the checkout requires it; the event's note keeps the record too).
    """
    if not offer.is_active:
        raise OrderServiceError("Cette offre n'est plus disponible.")
    intake = {name: value for name, value in (intake or {}).items() if value}
    with transaction.atomic():
        order = Order(
            number=_next_order_number(timezone.localdate()),
            client=client,
            offer=offer,
            level=offer.level,
            service=offer.service,
            amount=offer.price_cents,
            currency=offer.currency,
            duration=offer.duration_minutes,
            expert=expert,
            assigned_at=timezone.now() if expert else None,
            client_name=client_name,
            client_email=client_email.strip().lower(),
            client_phone=client_phone,
            withdrawal_waived_at=withdrawal_waived_at,
            **intake,
        )
        order_chart_apply(order)
        order.save(force_insert=True)
        note = WITHDRAWAL_WAIVER_NOTE if withdrawal_waived_at else ""
        _record_event(order, from_status="", action="created", actor=actor or client, note=note)
    return order


def order_chart_apply(order: Order) -> bool:
    """Compute the order's chart from its intake (in memory: the caller saves, under its lock).

    The one place where an order gets its chart: at creation and whenever the intake changes.
    Returns whether the chart changed.
    """
    chart = chart_for_intake(
        birth_date=order.birth_date, birth_time=order.birth_time or "", birth_place=order.birth_place or "",
        full_name=order.client_name,
    )
    changed = chart != order.chart
    order.chart = chart
    return changed


def order_refresh_chart(*, order_id) -> bool:
    """Recompute and store an order's chart (e.g. after an engine upgrade). Returns whether it changed."""
    with transaction.atomic():
        order = _lock(order_id)
        if not order_chart_apply(order):
            return False
        order.save(update_fields=["chart", "updated_at"])
        _record_event(order, from_status=order.status, action="chart_computed")
    return True


def order_intake_reminder_claim(*, order_id) -> bool:
    """Whether the "complete your intake" email must leave now: a paid order lacking what generation
    needs, never reminded before. The timestamp is set under the row lock, so a repeated payment event
    or a concurrent webhook cannot send it twice; the caller sends the email after commit."""
    # Most paid orders have their intake: answered without a lock nor a decryption (an empty encrypted
    # field is stored as NULL), so that the webhook path stays cheap.
    lacking = Q()
    for field, _ in INTAKE_REQUIRED:
        lacking |= Q(**{f"{field}__isnull": True})
    waiting = Order.objects.filter(lacking, pk=order_id, paid_at__isnull=False, intake_reminder_sent_at__isnull=True)
    if not waiting.exists():
        return False
    with transaction.atomic():
        order = _lock(order_id)
        if order.paid_at is None or order.intake_reminder_sent_at is not None or not order.intake_missing:
            return False
        order.intake_reminder_sent_at = timezone.now()
        order.save(update_fields=["intake_reminder_sent_at", "updated_at"])
        _record_event(order, from_status=order.status, action="intake_reminder", note=", ".join(order.intake_missing))
    return True


def order_mark_paid(*, order_id, payment_intent_id: str = "", note: str = "") -> TransitionResult:
    def apply(order: Order) -> None:
        order.paid_at = timezone.now()
        order.closed_at = None
        if payment_intent_id:
            order.stripe_payment_intent_id = payment_intent_id

    # A late or duplicate success for an order already further along changes nothing.
    return _transition(
        order_id, "payment_succeeded", note=note, apply=apply, already_done=lambda order: order.paid_at is not None
    )


def order_mark_payment_failed(*, order_id, error: str = "") -> TransitionResult:
    def apply(order: Order) -> None:
        order.last_error = error
        order.closed_at = timezone.now()

    # A failure reported after the order was paid (out-of-order delivery) changes nothing.
    return _transition(
        order_id, "payment_failed", note=error, apply=apply, already_done=lambda order: order.paid_at is not None
    )


def order_cancel(*, order_id, note: str = "", actor=None) -> TransitionResult:
    def apply(order: Order) -> None:
        order.closed_at = timezone.now()

    return _transition(order_id, "canceled", actor=actor, note=note, apply=apply)


def order_flag_payment(*, order_id, reason: str) -> Order:
    """Stripe reported a payment that does not match the order: keep it for staff, never mark it paid."""
    with transaction.atomic():
        order = _lock(order_id)
        if order.payment_flag == reason:
            return order
        order.payment_flag = reason
        order.save(update_fields=["payment_flag", "updated_at"])
        _record_event(order, from_status=order.status, action="payment_flagged", note=reason)
        return order


def order_assign(*, order_id, expert, actor=None) -> TransitionResult:
    """An expert takes an order. The first one wins; taking one's own order again is a no-op."""
    with transaction.atomic():
        order = _lock(order_id)
        if order.expert_id == expert.pk:
            return TransitionResult(order, changed=False)
        if order.expert_id is not None:
            raise AlreadyAssigned("Cette commande est déjà prise par un autre expert.")
        if order.status not in (S.PAID, S.PROCESSING, S.AWAITING_VALIDATION):
            raise OrderServiceError("Seule une commande payée peut être prise.")
        order.expert = expert
        order.assigned_at = timezone.now()
        order.save(update_fields=["expert", "assigned_at", "updated_at"])
        _record_event(order, from_status=order.status, action="assigned", actor=actor, note=str(expert))
        return TransitionResult(order, changed=True)


def order_start_generation(*, order_id, expert, prompt: str, instructions: str = "", actor=None) -> TransitionResult:
    """`paid` → `processing`: the expert sends the order to generation with a fresh attempt id."""

    def check(order: Order) -> None:
        if order.expert_id not in (None, expert.pk) and not expert.is_admin:
            raise AlreadyAssigned("Cette commande est prise par un autre expert.")
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

    return _transition(order_id, "generation_started", actor=actor, apply=apply, check=check)


def _check_current_attempt(attempt_id) -> Callable[[Order], None]:
    def check(order: Order) -> None:
        if str(order.generation_attempt_id) != str(attempt_id):
            raise StaleGenerationAttempt("Ce rappel ne concerne pas la génération en cours.")

    return check


def order_receive_content(*, order_id, attempt_id, content: dict) -> TransitionResult:
    """`processing` → `awaiting_validation`: store the generated version (current attempt only)."""

    def apply(order: Order) -> None:
        order.generated_content = content
        order.last_error = ""
        ContentVersion.objects.create(
            order=order,
            revision=order.revision_count,
            content=content,
            prompt=order.expert_prompt,
            instructions=order.expert_instructions,
            attempt_id=attempt_id,
        )

    with transaction.atomic():
        order = _lock(order_id)
        if order.status == S.AWAITING_VALIDATION and str(order.generation_attempt_id) == str(attempt_id):
            return TransitionResult(order, changed=False)  # the same callback delivered twice
        if order.status != S.PROCESSING:
            raise InvalidTransition(order, S.AWAITING_VALIDATION)
        return _transition(
            order_id,
            "content_received",
            note=f"révision {order.revision_count}",
            apply=apply,
            check=_check_current_attempt(attempt_id),
        )


def order_generation_failed(*, order_id, attempt_id, error: str) -> TransitionResult:
    """`processing` → `paid`: generation finally failed; the order goes back to the queue with its error."""

    def apply(order: Order) -> None:
        order.last_error = error
        order.generation_attempt_id = None

    with transaction.atomic():
        order = _lock(order_id)
        if order.status == S.PAID and order.last_error == error:
            return TransitionResult(order, changed=False)
        return _transition(
            order_id, "generation_failed", note=error, apply=apply, check=_check_current_attempt(attempt_id)
        )


def _current_version(order: Order) -> ContentVersion:
    return ContentVersion.objects.select_for_update().get(order=order, revision=order.revision_count)


def _check_judged_version(version: int | None) -> Callable[[Order], None] | None:
    """A validation judges the version the expert saw: when it names one that is no longer current (a
    repeated rejection arriving after its revision landed), it is refused and nothing changes."""
    if version is None:
        return None

    def check(order: Order) -> None:
        if order.revision_count != version:
            raise StaleVersion(
                f"La version {version} de la commande {order.number} n'est plus celle à valider "
                f"(version actuelle : {order.revision_count}). Rechargez la commande."
            )

    return check


def order_approve(*, order_id, expert, notes: str = "", actor=None, version: int | None = None) -> TransitionResult:
    """`awaiting_validation` → `completed`: the reading is delivered."""

    def apply(order: Order) -> None:
        now = timezone.now()
        version = _current_version(order)
        version.outcome = VersionOutcome.APPROVED
        version.validation_notes = notes
        version.reviewed_by = actor
        version.reviewed_at = now
        version.save()
        order.generated_content = version.content
        order.validation_notes = notes
        order.validated_at = now
        order.delivered_at = now

    return _transition(order_id, "approved", actor=actor, note=notes, apply=apply, check=_check_judged_version(version))


def order_reject(
    *, order_id, expert, reason: str, notes: str = "", actor=None, version: int | None = None
) -> TransitionResult:
    """`awaiting_validation` → `processing`: revision count +1 (exactly once) and a new generation attempt.
    With `version`, only while that version is still the one waiting (else StaleVersion)."""
    if not reason.strip():
        raise OrderServiceError("Le motif de rejet est obligatoire.")

    def apply(order: Order) -> None:
        version = _current_version(order)
        version.outcome = VersionOutcome.REJECTED
        version.rejection_reason = reason
        version.validation_notes = notes
        version.reviewed_by = actor
        version.reviewed_at = timezone.now()
        version.save()
        order.rejection_reason = reason
        order.validation_notes = notes
        order.revision_count += 1
        order.generation_attempt_id = uuid.uuid4()
        order.generation_started_at = timezone.now()

    return _transition(order_id, "rejected", actor=actor, note=reason, apply=apply, check=_check_judged_version(version))


def order_generation_relaunched(*, order: Order, actor, note: str) -> OrderEvent:
    """The audit row of a stuck generation relaunched by an expert (the moves it makes write their own rows).
    Caller holds the order's lock."""
    return _record_event(order, from_status=order.status, action="generation_relaunched", actor=actor, note=note)


def order_refund(*, order_id, note: str = "") -> TransitionResult:
    """Full refund: the order no longer gives Sanctuaire access (see `OrderQuerySet.with_access`)."""

    def apply(order: Order) -> None:
        order.refunded_at = timezone.now()

    return _transition(order_id, "refunded", note=note, apply=apply)


def order_audio_attach(*, order_id, name: str) -> TransitionResult:
    """The delivered reading's audio file is ready: its storage name goes on the order (once).

    `changed` is False when the order already has one (a repeated task), or is no longer delivered (e.g.
    refunded meanwhile): the caller then deletes the file it made.
    """
    with transaction.atomic():
        order = _lock(order_id)
        if order.audio_name or order.status != S.COMPLETED:
            return TransitionResult(order, changed=False)
        order.audio_name = name
        order.save(update_fields=["audio_name", "updated_at"])
        _record_event(order, from_status=order.status, action="audio_rendered")
        return TransitionResult(order, changed=True)


class ContentNotEditable(OrderServiceError):
    code = "not_editable"


class InvalidContent(OrderServiceError):
    """The corrected content breaks the level's schema; `errors` lists why (engine.schema)."""

    code = "invalid_content"

    def __init__(self, errors: list[str]) -> None:
        super().__init__("Correction refusée : " + " ; ".join(errors))
        self.errors = errors


def order_content_edit(*, order_id, content: dict, base_revision: int, actor) -> TransitionResult:
    """The expert corrects the content waiting for validation: a new version authored by them, the one the
    approval will deliver. The corrected content must be as valid as the generator's (engine.schema); the
    version it was made from must still be the current one (two correctors never overwrite each other)."""
    from engine.schema import validate_content

    with transaction.atomic():
        order = _lock(order_id)
        if order.status != S.AWAITING_VALIDATION:
            raise ContentNotEditable(f"La commande {order.number} n'attend pas de validation : rien à corriger.")
        if order.revision_count != base_revision:
            raise ContentNotEditable("Le contenu a changé depuis l'ouverture du formulaire : rechargez la page.")
        current = _current_version(order)
        if content == current.content:
            return TransitionResult(order, changed=False)
        # Compared by the place they point at (the part before ":"): a text the generator already left outside
        # the schema (an older content shape) may be corrected, but no correction may break a valid part.
        before = {error.partition(":")[0] for error in
                  validate_content(current.content, level=order.level, duration_minutes=order.duration)}
        errors = [error for error in validate_content(content, level=order.level, duration_minutes=order.duration)
                  if error.partition(":")[0] not in before]
        if errors:
            raise InvalidContent(errors)
        now = timezone.now()
        current.outcome, current.reviewed_by, current.reviewed_at = VersionOutcome.EDITED, actor, now
        current.save(update_fields=["outcome", "reviewed_by", "reviewed_at"])
        order.revision_count += 1
        ContentVersion.objects.create(
            order=order, revision=order.revision_count, content=content, prompt=current.prompt,
            instructions=current.instructions, attempt_id=current.attempt_id, edited_by=actor,
        )
        order.generated_content = content
        order.save(update_fields=["revision_count", "generated_content", "updated_at"])
        _record_event(order, from_status=order.status, action="content_edited", actor=actor,
                      note=f"version {order.revision_count + 1}")
        return TransitionResult(order, changed=True)


# What accounting keeps of an erased client's order (SPEC: number, amount, currency, dates, level, service,
# status); every other personal, intake or content field is emptied.
ERASED_ORDER_VALUES = {
    "client_name": "", "client_email": "", "client_phone": "", "birth_date": None, "birth_time": "", "birth_place": "",
    "question": "", "objective": "", "chart": None, "expert_prompt": "", "expert_instructions": "",
    "generated_content": None, "validation_notes": "", "rejection_reason": "", "last_error": "", "audio_name": "",
}
# An order someone is working on (or owes the client) is not erased under their feet.
ERASURE_BLOCKING_STATUSES = (S.PAID, S.PROCESSING, S.AWAITING_VALIDATION)


def order_erase_personal_data(*, order_id, actor=None) -> TransitionResult:
    """The client asked for erasure: the order keeps what accounting needs, everything else about the client
    goes, from the order, its versions, its events' notes and its generation records. Once per order."""
    with transaction.atomic():
        order = _lock(order_id)
        if order.events.filter(action="personal_data_erased").exists():
            return TransitionResult(order, changed=False)
        if order.status in ERASURE_BLOCKING_STATUSES:
            raise OrderServiceError(f"La commande {order.number} n'est pas encore livrée : elle ne peut pas être effacée.")
        for field, value in ERASED_ORDER_VALUES.items():
            setattr(order, field, value)
        order.save(update_fields=[*ERASED_ORDER_VALUES, "updated_at"])
        order.versions.update(content={}, prompt="", instructions="", validation_notes="", rejection_reason="")
        order.events.update(note="")
        # What was sent to a writer holds the intake; a writer's error may quote it.
        order.generation_attempts.update(last_error="", request=None)
        order.ai_runs.update(error="")
        order.dead_letters.update(error="")
        _record_event(order, from_status=order.status, action="personal_data_erased", actor=actor)
        return TransitionResult(order, changed=True)
