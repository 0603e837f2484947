from django import template

register = template.Library()


@register.filter
def euros(cents: int | None) -> str:
    """7900 → "79,00 €" (French formatting)."""
    if cents is None:
        return ""
    whole, rest = divmod(int(cents), 100)
    return f"{whole:,}".replace(",", "\u202f") + f",{rest:02d}\u00a0€"
