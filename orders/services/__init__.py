"""Every write of an Order, its events and its versions happens here, and only here.

By concern: `core` (the transition table, the row lock, the event, the signals after commit), `intake`
(creation, numbering, intake and chart, the client's inputs, staff edits), `payment`, `generation` (taken,
sent, answered, failed), `content` (corrected, approved, rejected, audio), `erasure`; `errors` the refusals.
Each public function is one change of SPEC §2 or one record, in one transaction with the order row locked,
leaving an `OrderEvent` when it is part of the history. Every write sends `orders.signals.order_changed`
after commit; `order_paid` and `order_approved` follow those moves: other apps react through them.
`from orders import services` / `from orders.services import X` reach everything public.
"""

from .content import order_approve, order_audio_attach, order_content_edit, order_reject
from .core import (
    TRANSITIONS,
    Transition,
    TransitionResult,
    can_transition,
    holder_check,
    holds,
)
from .erasure import ERASED_ORDER_VALUES, ERASURE_BLOCKING_STATUSES, order_erase_personal_data
from .errors import (
    AlreadyAssigned,
    ContentNotEditable,
    IntakeIncomplete,
    InvalidContent,
    InvalidTransition,
    OrderServiceError,
    StaleGenerationAttempt,
    StaleVersion,
)
from .generation import (
    order_assign,
    order_generation_error_clear,
    order_generation_error_show,
    order_generation_failed,
    order_generation_relaunched,
    order_receive_content,
    order_start_generation,
)
from .intake import (
    WITHDRAWAL_WAIVER_NOTE,
    order_chart_apply,
    order_create,
    order_intake_reminder_claim,
    order_refresh_chart,
    order_staff_update,
    orders_client_inputs_apply,
)
from .payment import (
    order_cancel,
    order_flag_payment,
    order_mark_paid,
    order_mark_payment_failed,
    order_payment_attempt_failed,
    order_payment_intent_attach,
    order_refund,
)

__all__ = [
    "ERASED_ORDER_VALUES",
    "ERASURE_BLOCKING_STATUSES",
    "TRANSITIONS",
    "WITHDRAWAL_WAIVER_NOTE",
    "AlreadyAssigned",
    "ContentNotEditable",
    "IntakeIncomplete",
    "InvalidContent",
    "InvalidTransition",
    "OrderServiceError",
    "StaleGenerationAttempt",
    "StaleVersion",
    "Transition",
    "TransitionResult",
    "can_transition",
    "holder_check",
    "holds",
    "order_approve",
    "order_assign",
    "order_audio_attach",
    "order_cancel",
    "order_chart_apply",
    "order_content_edit",
    "order_create",
    "order_erase_personal_data",
    "order_flag_payment",
    "order_generation_error_clear",
    "order_generation_error_show",
    "order_generation_failed",
    "order_generation_relaunched",
    "order_intake_reminder_claim",
    "order_mark_paid",
    "order_mark_payment_failed",
    "order_payment_attempt_failed",
    "order_payment_intent_attach",
    "order_receive_content",
    "order_refresh_chart",
    "order_refund",
    "order_reject",
    "order_staff_update",
    "order_start_generation",
    "orders_client_inputs_apply",
]
