"""The legal pages' light markup → HTML. Everything staff type is escaped: no HTML from the admin reaches a page.

- a blank line separates blocks; "## Titre" is a heading (h2), "### Titre" a sub-heading (h3);
- a block whose lines all start with "- " is a list;
- [[LEGAL_ADDRESS]] and the other [[LEGAL_…]] names take the value of that setting, [[DELIVERY_HOURS_VIP]]
  (BASIC, PREMIUM) the promised delivery time of that tier (DELIVERY_TARGET_HOURS);
- a bare e-mail address, and an https:// or site link written as <https://…> or </cgv/>, become links.
"""

import re

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PLACEHOLDER = re.compile(r"\[\[((?:LEGAL|DELIVERY_HOURS)_[A-Z_]+)\]\]")
LINK = re.compile(r"&lt;(https://[^\s&]+|/(?:[\w-]+/)+)&gt;")  # site paths end with "/" (never "</p>")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")


def placeholder_values() -> dict[str, str]:
    values = {name: str(getattr(settings, name)) for name in dir(settings) if name.startswith("LEGAL_")}
    for service, hours in settings.DELIVERY_TARGET_HOURS.items():
        values[f"DELIVERY_HOURS_{service.upper()}"] = str(hours)
    return values


def _placeholders(text: str) -> str:
    values = placeholder_values()
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def _inline(text: str) -> str:
    html = escape(text)
    html = LINK.sub(lambda match: f'<a href="{match.group(1)}">{match.group(1)}</a>', html)
    return EMAIL.sub(lambda match: f'<a href="mailto:{match.group(0)}">{match.group(0)}</a>', html)


def render_legal_markup(text: str) -> SafeString:
    blocks = [block.strip() for block in re.split(r"\n\s*\n", _placeholders(text).replace("\r\n", "\n"))]
    parts = []
    for block in filter(None, blocks):
        lines = block.splitlines()
        if block.startswith("### "):
            parts.append(f"<h3>{_inline(block[4:])}</h3>")
        elif block.startswith("## "):
            parts.append(f"<h2>{_inline(block[3:])}</h2>")
        elif all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return mark_safe("\n".join(parts))  # noqa: S308 (built above from escaped text only)
