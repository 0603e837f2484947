from django.db import models
from django.utils import timezone

from lumira.encryption import EncryptedEmailField, EncryptedTextField


class LegalPage(models.Model):
    """A legal or reassurance page (CGV, mentions légales…), edited by staff in admin without a deploy.

    The body is plain text with a light markup (storefront/markup.py): blank lines separate paragraphs,
    "## " starts a heading, "- " a list item; [[LEGAL_…]] placeholders take the deployment's settings.
    """

    slug = models.SlugField("adresse", unique=True, help_text="Partie de l'URL : ne pas modifier (liens du pied de page).")
    title = models.CharField("titre", max_length=150)
    description = models.CharField(
        "description", max_length=300, help_text="Résumé d'une phrase (moteurs de recherche et aperçus de liens)."
    )
    body = models.TextField(
        "texte",
        help_text="Paragraphes séparés par une ligne vide ; « ## » en début de ligne pour un intertitre, « - » pour "
                  "une liste. [[LEGAL_ADDRESS]] et les autres [[LEGAL_…]] sont remplacés par les réglages du site.",
    )
    updated_at = models.DateTimeField("mise à jour", auto_now=True)

    class Meta:
        verbose_name = "page légale"
        verbose_name_plural = "pages légales"
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title


class ContactSubject(models.TextChoices):
    ORDER = "order", "Une commande"
    READING = "reading", "Une lecture"
    WITHDRAWAL = "withdrawal", "Rétractation ou remboursement"
    PERSONAL_DATA = "personal_data", "Mes données personnelles"
    OTHER = "other", "Autre question"


class ContactMessage(models.Model):
    """A message sent through the contact form. Kept (encrypted) so that staff can answer it from admin."""

    name = EncryptedTextField("nom")
    email = EncryptedEmailField("e-mail")
    subject = models.CharField("sujet", max_length=40, choices=ContactSubject.choices)
    message = EncryptedTextField("message")
    created_at = models.DateTimeField("reçu le", default=timezone.now, editable=False)
    emailed_at = models.DateTimeField("transmis le", null=True, blank=True)

    class Meta:
        verbose_name = "message de contact"
        verbose_name_plural = "messages de contact"
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.get_subject_display()} — {self.created_at:%d/%m/%Y %H:%M}"
