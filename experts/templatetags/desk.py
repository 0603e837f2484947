import base64

from django import template

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
