
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
