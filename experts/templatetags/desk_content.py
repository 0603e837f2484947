from django import template

from orders.content_fields import content_diff

register = template.Library()


@register.simple_tag
def version_changes(order, version) -> list:
    """What the expert changed in a corrected version, against the version it was made from (prefetched)."""
    if version.edited_by_id is None:
        return []
    previous = next((other for other in order.versions.all() if other.revision == version.revision - 1), None)
    return content_diff(previous.content if previous else None, version.content)
