import base64

from django import template
from django.utils.translation import gettext_lazy as _

from engine.schema import readable_content

register = template.Library()


@register.filter
def svg_data_uri(svg: str | None) -> str:
    """Show a generated SVG through <img>: an image cannot run scripts, inline SVG could."""
    if not svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@register.simple_tag
def status_badge_class(status: str) -> str:
    return f"badge badge-{status}"


# What each OrderEvent.action means, for the history shown to experts.
EVENT_LABELS = {
    "created": _("Order created"),
    "payment_succeeded": _("Payment received"),
    "payment_failed": _("Payment failed"),
    "payment_flagged": _("Payment anomaly"),
    "canceled": _("Order canceled"),
    "assigned": _("Order assigned"),
    "generation_started": _("Sent to generation"),
    "content_received": _("Content received"),
    "generation_failed": _("Generation failed"),
    "generation_relaunched": _("Generation relaunched"),
    "approved": _("Approved and delivered"),
    "rejected": _("Rejected: revision requested"),
    "refunded": _("Refunded"),
    "content_edited": _("Text corrected by the expert"),
    "personal_data_erased": _("Personal data erased (the client's request)"),
}


@register.filter
def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))


@register.filter
def readable(content) -> dict[str, str]:
    """A reading's content as text per part (engine.schema.readable_content)."""
    return readable_content(content)
