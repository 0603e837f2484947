"""The one way the apps send an email: a text body and its HTML alternative, rendered from the same context."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def email_send(*, subject: str, template: str, context: dict, to: str) -> None:
    """Send `template`.txt with `template`.html as its HTML alternative; both see `site_url`."""
    context = {**context, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(subject=subject, body=render_to_string(f"{template}.txt", context), to=[to])
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()
