import base64

from django import template

from engine.schema import readable_content
from orders.events import action_label

register = template.Library()


@register.filter
def svg_data_uri(svg: str | None) -> str:
    """Show a generated SVG through <img>: an image cannot run scripts, inline SVG could."""
    if not svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@register.filter
def last_error(error: str) -> str:
    """An order's `last_error` as the expert reads it (`experts.generation.last_error_display`)."""
    from ..generation import last_error_display

    return last_error_display(error)


@register.filter
def event_label(action: str) -> str:
    """What an OrderEvent.action means, for the history shown to experts (orders.events)."""
    return action_label(action)


@register.filter
def readable(content) -> dict[str, str]:
    """A reading's content as text per part (engine.schema.readable_content)."""
    return readable_content(content)
