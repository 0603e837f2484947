"""The Sanctuary's short message pages (sign-in link sent, link no longer valid, account erased).

One template, sanctuaire/notice.html, shows them: a heading, a lead announced to screen readers (`role`
"alert" when something went wrong), an optional detail and an optional link. The views build the notice
during the request, in the visitor's language.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Notice:
    title: str
    heading: str
    lead: str
    role: str = "status"
    detail: str = ""
    link_url: str = ""
    link_label: str = ""


def link_sent(minutes: int) -> Notice:
    title = _("Check your e-mail inbox")
    return Notice(
        title, title, _("If a Lumira account exists for this address, a sign-in link has just been sent to it."),
        detail=_("The link works once and for %(minutes)s minutes. Remember to look in your junk mail.")
        % {"minutes": minutes},
        link_url=reverse("sanctuaire:login"), link_label=_("Ask for a new link"),
    )


def link_invalid() -> Notice:
    """Comes with the form that asks for a new link (the template shows it when the context has `form`)."""
    return Notice(
        _("Link expired"), _("This link no longer works"),
        _("This sign-in link is invalid, expired or has already been used."), role="alert",
        detail=_("Ask for a new one: it arrives within moments."),
    )


def account_erased() -> Notice:
    return Notice(
        _("Account erased"), _("Your account is erased"),
        _("Your personal data and your photos have been deleted and your account is closed. "
          "Thank you for trusting Lumira."),
        link_url="/", link_label=_("Back to the home page"),
    )
