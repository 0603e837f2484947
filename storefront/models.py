from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumira.encryption import EncryptedEmailField, EncryptedTextField


class LegalPage(models.Model):
    """A legal or reassurance page (CGV, mentions légales…), edited by staff in admin without a deploy.

    The body is plain text with a light markup (storefront/markup.py): blank lines separate paragraphs,
    "## " starts a heading, "- " a list item; [[LEGAL_…]] placeholders take the deployment's settings.
    """

    slug = models.SlugField(_("address"), unique=True, help_text=_("Part of the URL: do not change (footer links)."))
    title = models.CharField(_("title"), max_length=150)
    description = models.CharField(
        _("description"), max_length=300, help_text=_("A one-sentence summary (search engines and link previews).")
    )
    body = models.TextField(
        _("text"),
        help_text=_(
            "Paragraphs separated by a blank line; “## ” at the start of a line for a subheading, “- ” for a list. "
            "[[LEGAL_ADDRESS]] and the other [[LEGAL_…]] are replaced by the site's settings."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title


class ContactSubject(models.TextChoices):
    ORDER = "order", _("An order")
    READING = "reading", _("A reading")
    WITHDRAWAL = "withdrawal", _("Withdrawal or refund")
    PERSONAL_DATA = "personal_data", _("My personal data")
    OTHER = "other", _("Another question")


class ContactMessage(models.Model):
    """A message sent through the contact form. Kept (encrypted) so that staff can answer it from admin."""

    name = EncryptedTextField(_("name"))
    email = EncryptedEmailField(_("e-mail"))
    subject = models.CharField(_("subject"), max_length=40, choices=ContactSubject.choices)
    message = EncryptedTextField(_("message"))
    created_at = models.DateTimeField(_("received on"), default=timezone.now, editable=False)
    emailed_at = models.DateTimeField(_("forwarded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.get_subject_display()} — {self.created_at:%d/%m/%Y %H:%M}"
