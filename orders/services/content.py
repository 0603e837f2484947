"""The version waiting for validation: corrected, approved (delivered) or rejected, and the reading's audio."""

import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ContentVersion, Order, OrderStatus, VersionOutcome
from ..signals import order_approved
from .core import TransitionResult, after_commit, content_version_store, holder_check, lock, record_event, transition
from .errors import ContentNotEditable, InvalidContent, OrderServiceError, StaleVersion

S = OrderStatus


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
                _(
                    "Version {version} of order {number} is no longer the one to validate "
                    "(current version: {current}). Reload the order."
                ).format(version=version, number=order.number, current=order.revision_count)
            )

    return check


def order_approve(*, order_id, expert=None, notes: str = "", actor=None, version: int | None = None) -> TransitionResult:
    """`awaiting_validation` → `completed`: the reading is delivered; `order_approved` goes out after commit.
    `expert`: who approves, for the holder rule (None: no expert acts, e.g. a script)."""

    def apply(order: Order) -> None:
        now = timezone.now()
        judged = _current_version(order)
        judged.outcome = VersionOutcome.APPROVED
        judged.validation_notes = notes
        judged.reviewed_by = actor
        judged.reviewed_at = now
        judged.save()
        order.generated_content = judged.content
        order.validation_notes = notes
        order.validated_at = now
        order.delivered_at = now

    with transaction.atomic():
        result = transition(
            order_id,
            "approved",
            actor=actor,
            expert=expert,
            note=notes,
            apply=apply,
            check=_check_judged_version(version),
        )
        if result.changed:
            after_commit(order_approved, result.order)
    return result


def order_reject(
    *, order_id, reason: str, expert=None, notes: str = "", actor=None, version: int | None = None
) -> TransitionResult:
    """`awaiting_validation` → `processing`: revision count +1 (exactly once) and a new generation attempt.
    The same rejection repeated changes nothing; an order in its first generation has nothing to reject.
    With `version`, only while that version is still the one waiting (else StaleVersion)."""
    if not reason.strip():
        raise OrderServiceError("Le motif de rejet est obligatoire.")

    def apply(order: Order) -> None:
        judged = _current_version(order)
        judged.outcome = VersionOutcome.REJECTED
        judged.rejection_reason = reason
        judged.validation_notes = notes
        judged.reviewed_by = actor
        judged.reviewed_at = timezone.now()
        judged.save()
        order.rejection_reason = reason
        order.validation_notes = notes
        order.revision_count += 1
        order.generation_attempt_id = uuid.uuid4()
        order.generation_started_at = timezone.now()

    return transition(
        order_id,
        "rejected",
        actor=actor,
        expert=expert,
        note=reason,
        call={"reason": reason},
        apply=apply,
        check=_check_judged_version(version),
    )


def order_content_edit(*, order_id, content: dict, base_revision: int, actor, expert=None) -> TransitionResult:
    """The expert corrects the content waiting for validation: a new version authored by them, the one the
    approval will deliver. The corrected content must be as valid as the generator's (engine.schema); the
    version it was made from must still be the current one (two correctors never overwrite each other).
    `expert`: who corrects, for the holder rule."""
    from engine.schema import validate_content

    with transaction.atomic():
        order = lock(order_id)
        holder_check(order, expert)
        if order.status != S.AWAITING_VALIDATION:
            raise ContentNotEditable(
                _("Order {number} is not awaiting validation: nothing to correct.").format(number=order.number)
            )
        if order.revision_count != base_revision:
            raise ContentNotEditable(_("The content has changed since the form was opened: reload the page."))
        current = _current_version(order)
        if content == current.content:
            return TransitionResult(order, changed=False)
        # Compared by the place they point at (the part before ":"): a text the generator already left outside
        # the schema (an older content shape) may be corrected, but no correction may break a valid part.
        before = {
            error.partition(":")[0]
            for error in validate_content(current.content, level=order.level, duration_minutes=order.duration)
        }
        errors = [
            error
            for error in validate_content(content, level=order.level, duration_minutes=order.duration)
            if error.partition(":")[0] not in before
        ]
        if errors:
            raise InvalidContent(errors, correction=True)
        now = timezone.now()
        current.outcome, current.reviewed_by, current.reviewed_at = VersionOutcome.EDITED, actor, now
        current.save(update_fields=["outcome", "reviewed_by", "reviewed_at"])
        order.revision_count += 1
        content_version_store(
            order, content, prompt=current.prompt, instructions=current.instructions, attempt_id=current.attempt_id,
            edited_by=actor,
        )
        order.save(update_fields=["revision_count", "generated_content", "updated_at"])
        record_event(
            order, from_status=order.status, action="content_edited", actor=actor, note=f"version {order.revision_count + 1}"
        )
        return TransitionResult(order, changed=True)


def order_audio_attach(*, order_id, name: str) -> TransitionResult:
    """The delivered reading's audio file is ready: its storage name goes on the order (once).

    `changed` is False when the order already has one (a repeated task), or is no longer delivered (e.g.
    refunded meanwhile): the caller then deletes the file it made.
    """
    with transaction.atomic():
        order = lock(order_id)
        if order.audio_name or order.status != S.COMPLETED:
            return TransitionResult(order, changed=False)
        order.audio_name = name
        order.save(update_fields=["audio_name", "updated_at"])
        record_event(order, from_status=order.status, action="audio_rendered")
        return TransitionResult(order, changed=True)
