"""The transition table and what every write shares: the row lock, the event, the signals after commit.

`_transition` makes one move of the table:
- locks the order row (`select_for_update`) inside `transaction.atomic()`,
- refuses an expert who does not hold the order when the move is `holder_only` (`AlreadyAssigned`),
- returns without effect when the call repeats one already applied (the transition's `repeat` rule),
- refuses a move that `TRANSITIONS` does not list with `InvalidTransition`,
- writes one `OrderEvent` in the same transaction, and `order_changed` goes out after commit.
"""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..events import action_check
from ..models import ContentVersion, Order, OrderEvent, OrderStatus
from ..signals import order_changed
from .errors import AlreadyAssigned, InvalidTransition

logger = logging.getLogger(__name__)

S = OrderStatus

# A repeat rule: given the locked order and the call's own values, whether that call was already applied.
RepeatRule = Callable[[Order, Mapping], bool]


def _in_target(target: str) -> RepeatRule:
    return lambda order, call: order.status == target


@dataclass(frozen=True)
class Transition:
    """One move of SPEC §2.

    - `holder_only`: when an expert makes it, only the order's holder may (or an admin, or anyone while the
      order has no expert): `holds`.
    - `repeat`: whether a call finds its own effect already there (a double click, a webhook delivered twice):
      it then changes nothing and is not an error. By default: the order is already in the target status.
    - `refusal`: the message when the order is in the target status but the call is *not* a repeat of the
      one that put it there (`{number}` is the order's number); the generic "impossible" one when empty.
    """

    sources: frozenset[str]
    target: str
    holder_only: bool = False
    repeat: RepeatRule | None = field(default=None, compare=False)
    refusal: str = ""  # translatable (gettext_lazy), formatted when raised

    def is_repeat(self, order: Order, call: Mapping) -> bool:
        return (self.repeat or _in_target(self.target))(order, call)


def _paid_already(order: Order, call: Mapping) -> bool:
    # A late or duplicate payment report for an order paid once (whatever it became since) changes nothing.
    return order.status == S.PAID or order.paid_at is not None


def _same_attempt_answered(order: Order, call: Mapping) -> bool:
    # The same generator callback delivered twice.
    return order.status == S.AWAITING_VALIDATION and str(order.generation_attempt_id) == str(call["attempt_id"])


def _same_rejection(order: Order, call: Mapping) -> bool:
    # Only the same rejection repeated is done already: an order in its first generation has nothing to reject.
    return order.status == S.PROCESSING and order.revision_count > 0 and order.rejection_reason == call["reason"]


# The only moves an order can make (SPEC §2), one per service function. Anything else is refused.
TRANSITIONS: dict[str, Transition] = {
    # A payment failure can be followed by a success on the same PaymentIntent (the client retries with
    # another card): money taken wins, hence FAILED among the sources of payment_succeeded.
    "payment_succeeded": Transition(frozenset({S.PENDING, S.FAILED}), S.PAID, repeat=_paid_already),
    "payment_failed": Transition(
        frozenset({S.PENDING}),
        S.FAILED,
        repeat=lambda order, call: order.status == S.FAILED or order.paid_at is not None,
    ),
    "canceled": Transition(frozenset({S.PENDING, S.FAILED}), S.CANCELED),
    "generation_started": Transition(frozenset({S.PAID}), S.PROCESSING, holder_only=True),
    "content_received": Transition(frozenset({S.PROCESSING}), S.AWAITING_VALIDATION, repeat=_same_attempt_answered),
    "generation_failed": Transition(frozenset({S.PROCESSING}), S.PAID),
    "approved": Transition(frozenset({S.AWAITING_VALIDATION}), S.COMPLETED, holder_only=True),
    "rejected": Transition(
        frozenset({S.AWAITING_VALIDATION}),
        S.PROCESSING,
        holder_only=True,
        repeat=_same_rejection,
        refusal=gettext_lazy("Order {number} is being generated: there is nothing to reject."),
    ),
    "refunded": Transition(frozenset({S.PAID, S.PROCESSING, S.AWAITING_VALIDATION, S.COMPLETED}), S.REFUNDED),
}


@dataclass(frozen=True)
class TransitionResult:
    order: Order
    changed: bool


def can_transition(action: str, from_status: str) -> bool:
    return from_status in TRANSITIONS[action].sources


def holds(order: Order, expert) -> bool:
    """The holder rule: an expert may work on an order that has no expert yet or is theirs; an admin on any."""
    return order.expert_id in (None, expert.pk) or expert.is_admin


def holder_check(order: Order, expert) -> None:
    if expert is not None and not holds(order, expert):
        raise AlreadyAssigned(_("This order is held by another expert."))


def lock(order_id) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def _send_robust(signal, **kwargs) -> None:
    for receiver, outcome in signal.send_robust(sender=Order, **kwargs):
        if isinstance(outcome, Exception):
            logger.error(
                "orders: a receiver of an order signal failed",
                exc_info=outcome,
                extra={"receiver": getattr(receiver, "__qualname__", str(receiver))},
            )


def changed(order: Order) -> None:
    """Tell the other apps, once the transaction commits, that this order (or its events/versions) changed.
    Every write of the order services calls it."""
    values = {"order_id": order.pk, "client_id": order.client_id, "expert_id": order.expert_id}
    transaction.on_commit(lambda: _send_robust(order_changed, **values))


def after_commit(signal, order: Order) -> None:
    """Send `order_paid` or `order_approved` for this order once the transaction commits."""
    order_id = order.pk
    transaction.on_commit(lambda: _send_robust(signal, order_id=order_id))


def content_version_store(
    order: Order, content: dict, *, prompt: str, instructions: str, attempt_id, edited_by=None
) -> ContentVersion:
    """`content` becomes the order's current content, kept as the version numbered by its `revision_count`
    (caller holds the order's lock and saves the order)."""
    order.generated_content = content
    return ContentVersion.objects.create(
        order=order, revision=order.revision_count, content=content, prompt=prompt, instructions=instructions,
        attempt_id=attempt_id, edited_by=edited_by,
    )


def record_event(order: Order, *, from_status: str, action: str, actor=None, note: str = "") -> OrderEvent:
    """The audit row of a write (caller holds the order's lock); `order_changed` follows after commit."""
    event = OrderEvent.objects.create(
        order=order,
        from_status=from_status,
        to_status=order.status,
        action=action_check(action),
        actor=actor,
        note=note,
    )
    changed(order)
    return event


def transition(
    order_id,
    action: str,
    *,
    actor=None,
    expert=None,
    note: str | Callable[[Order], str] = "",
    call: Mapping | None = None,
    apply: Callable[[Order], None] | None = None,
    check: Callable[[Order], None] | None = None,
) -> TransitionResult:
    """Make the move `TRANSITIONS[action]` (see the module's docstring). `expert`: who acts, for the holder
    rule (None: the system acts); `call`: the call's values its repeat rule compares; `note` may be computed
    from the locked order."""
    move = TRANSITIONS[action]
    with transaction.atomic():
        order = lock(order_id)
        if move.holder_only:
            holder_check(order, expert)
        if move.is_repeat(order, call or {}):
            return TransitionResult(order, changed=False)
        if order.status == move.target:
            raise InvalidTransition(order, move.target, move.refusal.format(number=order.number))
        if not can_transition(action, order.status):
            raise InvalidTransition(order, move.target)
        if check is not None:
            check(order)
        from_status = order.status
        order.status = move.target
        if apply is not None:
            apply(order)
        order.save()
        note = note(order) if callable(note) else note
        record_event(order, from_status=from_status, action=action, actor=actor, note=note)
        return TransitionResult(order, changed=True)
