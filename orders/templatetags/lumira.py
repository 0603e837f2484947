from django import template

register = template.Library()


@register.filter
def euros(cents: int | None) -> str:
    """7900 → "79,00 €" (French formatting)."""
    if cents is None:
        return ""
    whole, rest = divmod(int(cents), 100)
    return f"{whole:,}".replace(",", "\u202f") + f",{rest:02d}\u00a0€"


@register.filter
def price(cents: int | None) -> str:
    """Shop prices: 2700 → "27 €", 2750 → "27,50 €" (no cents when there are none)."""
    if cents is None or cents == "":
        return ""
    whole, rest = divmod(int(cents), 100)
    text = f"{whole:,}".replace(",", "\u202f")
    return f"{text},{rest:02d}\u00a0€" if rest else f"{text}\u00a0€"


@register.filter
def rating(value) -> str:
    """An expert's rating: Decimal("4.80") → "4,8"."""
    if value is None:
        return ""
    return f"{float(value):.1f}".replace(".", ",")


@register.filter
def initials(name: str) -> str:
    return "".join(part[0] for part in (name or "").split()[:2]).upper()
