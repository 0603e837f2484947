from django.conf import settings
from django.db import models


class ExpertRole(models.TextChoices):
    EXPERT = "expert", "Expert"
    ADMIN = "admin", "Administrateur"


class ExpertQuerySet(models.QuerySet):
    def active(self) -> "ExpertQuerySet":
        return self.filter(is_active=True, user__is_active=True)


class Expert(models.Model):
    """An expert who turns paid orders into readings. Signs in with the linked user's email and password."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert")
    name = models.CharField("nom", max_length=150)
    role = models.CharField("rôle", max_length=16, choices=ExpertRole.choices, default=ExpertRole.EXPERT)
    is_active = models.BooleanField("actif", default=True)
    specialties = models.JSONField("spécialités", default=list, blank=True)
    rating = models.DecimalField("note", max_digits=3, decimal_places=2, null=True, blank=True)
    last_login_at = models.DateTimeField("dernière connexion", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        verbose_name = "expert"
        verbose_name_plural = "experts"
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def is_admin(self) -> bool:
        return self.role == ExpertRole.ADMIN

    @property
    def can_sign_in(self) -> bool:
        return self.is_active and self.user.is_active
