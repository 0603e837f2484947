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


@register.filter
def version_summary(version) -> str:
    """A line naming a version in the history: its title, else its archetype (either content shape)."""
    content = version.content if isinstance(version.content, dict) else {}
    archetype = content.get("archetype")
    return str(content.get("title") or (archetype.get("name") if isinstance(archetype, dict) else archetype) or "")


@register.filter
def expert_name(user) -> str:
    """How the desk names an expert's account to other experts: the expert's name (else the user's full name),
    never the e-mail address while a name is known. The expert comes with the user (select_related) in the desk."""
    expert = getattr(user, "expert", None)  # a user without an expert profile raises an AttributeError subclass
    return expert.name if expert is not None and expert.name else user.display_name
