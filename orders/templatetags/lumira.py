from django import template
from django.utils.html import format_html

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


@register.simple_block_tag
def section(content: str, slug: str, title: str, lead: str = "") -> str:
    """A page section titled by its heading: `slug` is the section's id and, with "-titre", the heading's id
    that aria-labelledby names, written once so the two cannot drift apart; `lead` an optional first paragraph.

    {% section "faq" _("Frequently asked questions") %}…{% endsection %}
    """
    lead_html = format_html('  <p class="section-lead">{}</p>\n', lead) if lead else ""
    return format_html(
        '<section id="{slug}" class="section" aria-labelledby="{slug}-titre">\n  <h2 id="{slug}-titre">{title}</h2>\n'
        "{lead}{content}</section>",
        slug=slug, title=title, lead=lead_html, content=content,
    )


@register.simple_block_tag
def checkout_field(content: str, name: str, label: str, input_id: str = "") -> str:
    """A field of the order form: its label for the input (`input_id`, `name` by default), the input and its
    help (`content`), then the slot "error-<name>" where order.js writes the API's errors for `name`.

    {% checkout_field "phone" _("Phone") %}<input id="phone" name="phone" …>{% endcheckout_field %}
    """
    return format_html(
        '<p class="field">\n  <label for="{input_id}">{label}</label>\n'
        '{content}  <span class="error" id="error-{name}" aria-live="polite"></span>\n</p>',
        input_id=input_id or name, label=label, content=content, name=name,
    )
