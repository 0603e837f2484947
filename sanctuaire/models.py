import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lumira.encryption import EncryptedCharField, EncryptedDateField, EncryptedTextField


class PhotoKind(models.TextChoices):
    FACE = "face", _("Face photo")
    PALM = "palm", _("Palm photo")


class ClientProfile(models.Model):
    """What a client tells about themself once, reused for every reading. Personal data is encrypted at rest."""

    # Public id for URLs (photo links): never the user's numeric id.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_profile")
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    birth_time = EncryptedCharField(_("time of birth"), max_length=5, null=True, blank=True, default="")
    birth_place = EncryptedCharField(_("place of birth"), max_length=200, null=True, blank=True, default="")
    question = EncryptedTextField(_("question"), null=True, blank=True, default="")
    objective = EncryptedTextField(_("goal"), null=True, blank=True, default="")
    # Storage names of the private photos (random, unguessable); encrypted like the rest.
    face_photo = EncryptedCharField(_("face photo"), max_length=255, null=True, blank=True, default="")
    palm_photo = EncryptedCharField(_("palm photo"), max_length=255, null=True, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modified"), auto_now=True)

    # The birth time may be unknown (stored empty): it is not required.
    REQUIRED_FIELDS = ("birth_date", "birth_place", "question", "objective")

    class Meta:
        verbose_name = _("client profile")
        verbose_name_plural = _("client profiles")

    def __str__(self) -> str:
        return f"Profil de {self.user_id}"

    @property
    def is_complete(self) -> bool:
        return all(getattr(self, name) for name in self.REQUIRED_FIELDS)

    def photo_name(self, kind: str) -> str:
        return (self.face_photo if kind == PhotoKind.FACE else self.palm_photo) or ""

    def photo_url(self, kind: str) -> str:
        """The permission-checked URL of a photo (owner and assigned experts only), or "" when there is none."""
        if not self.photo_name(kind):
            return ""
        return reverse("sanctuaire:photo", kwargs={"profile_id": self.pk, "kind": kind})


class DataRequestKind(models.TextChoices):
    EXPORT = "export", _("Data export")
    ERASURE = "erasure", _("Account erasure")


class DataRequest(models.Model):
    """Audit row: a client exported their data or had their account erased (GDPR articles 15, 17 and 20).

    Holds no personal data itself; the user row it points to stays (anonymised) after an erasure.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(_("request"), max_length=16, choices=DataRequestKind.choices)
    orders_count = models.PositiveIntegerField(_("orders concerned"), default=0)
    files_count = models.PositiveIntegerField(_("files"), default=0)
    created_at = models.DateTimeField(_("on"), auto_now_add=True)

    class Meta:
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.user_id}, {self.created_at:%Y-%m-%d})"
