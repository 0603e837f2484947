"""Every `OrderEvent.action` the code writes, with what it means to a person reading an order's history.

The one list: `orders.services` refuses to write an action missing here (`UnknownEventAction`); the desk's
history, the expert API's `actionLabel` and the admin's event rows show `action_label(...)`; a test scans the
code for `action=` strings.
Labels are English source strings in the "order event" context; the French is in the catalogue.
"""

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

EVENT_ACTIONS: dict[str, Promise] = {
    # Status changes: one per transition of orders.services.TRANSITIONS (same names), and the creation.
    "created": pgettext_lazy("order event", "Order created"),
    "payment_succeeded": pgettext_lazy("order event", "Payment received"),
    "payment_failed": pgettext_lazy("order event", "Payment failed"),
    "canceled": pgettext_lazy("order event", "Order canceled"),
    "generation_started": pgettext_lazy("order event", "Sent to generation"),
    "content_received": pgettext_lazy("order event", "Content received"),
    "generation_failed": pgettext_lazy("order event", "Generation failed"),
    "approved": pgettext_lazy("order event", "Approved and delivered"),
    "rejected": pgettext_lazy("order event", "Rejected: revision requested"),
    "refunded": pgettext_lazy("order event", "Refunded"),
    # Records that leave the status as it is.
    "payment_attempt_failed": pgettext_lazy("order event", "Card refused: the client can try again"),
    "payment_intent_replaced": pgettext_lazy("order event", "New payment prepared after a refusal"),
    "payment_flagged": pgettext_lazy("order event", "Payment anomaly"),
    "client_inputs_updated": pgettext_lazy("order event", "Client's details updated"),
    "chart_computed": pgettext_lazy("order event", "Birth chart recomputed"),
    "intake_reminder": pgettext_lazy("order event", "Profile reminder sent to the client"),
    "assigned": pgettext_lazy("order event", "Order assigned"),
    "generation_relaunched": pgettext_lazy("order event", "Generation relaunched"),
    "content_edited": pgettext_lazy("order event", "Text corrected by the expert"),
    "audio_rendered": pgettext_lazy("order event", "Audio version ready"),
    "personal_data_erased": pgettext_lazy("order event", "Personal data erased (client's request)"),
}


class UnknownEventAction(ValueError):
    """An event action that is not in EVENT_ACTIONS: register it (with its label) before writing it."""


def action_check(action: str) -> str:
    if action not in EVENT_ACTIONS:
        raise UnknownEventAction(f"OrderEvent action {action!r} is not registered in orders.events.EVENT_ACTIONS")
    return action


def action_label(action: str) -> str:
    """The action's label in the active language (the raw name for an action no longer written)."""
    label = EVENT_ACTIONS.get(action)
    return str(label) if label is not None else action
