"""Every `OrderEvent.action` the code writes, with what it means to a person reading an order's history.

The one list: `orders.services` refuses to write an action missing here (`UnknownEventAction`), the desk shows
`action_label(...)`, the admin filters and lists by it, and a test scans the code for `action=` strings.
Labels are English source strings in the "order event" context; the French is in the catalogue.
"""

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy


def _label(text: str) -> Promise:
    return pgettext_lazy("order event", text)


EVENT_ACTIONS: dict[str, Promise] = {
    # Status changes: one per transition of orders.services.TRANSITIONS (same names), and the creation.
    "created": _label("Order created"),
    "payment_succeeded": _label("Payment received"),
    "payment_failed": _label("Payment failed"),
    "canceled": _label("Order canceled"),
    "generation_started": _label("Sent to generation"),
    "content_received": _label("Content received"),
    "generation_failed": _label("Generation failed"),
    "approved": _label("Approved and delivered"),
    "rejected": _label("Rejected: revision requested"),
    "refunded": _label("Refunded"),
    # Records that leave the status as it is.
    "payment_attempt_failed": _label("Card refused: the client can try again"),
    "payment_intent_replaced": _label("New payment prepared after a refusal"),
    "payment_flagged": _label("Payment anomaly"),
    "client_inputs_updated": _label("Client's details updated"),
    "chart_computed": _label("Birth chart recomputed"),
    "intake_reminder": _label("Profile reminder sent to the client"),
    "assigned": _label("Order assigned"),
    "generation_relaunched": _label("Generation relaunched"),
    "content_edited": _label("Text corrected by the expert"),
    "audio_rendered": _label("Audio version ready"),
    "personal_data_erased": _label("Personal data erased (client's request)"),
}

EVENT_ACTION_CHOICES = list(EVENT_ACTIONS.items())


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
