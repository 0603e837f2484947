import uuid

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import IntegrityError, models, transaction
from django.db.models import Value
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lumira.encryption import EncryptedCharField, EncryptedDateField, EncryptedTextField


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)  # None gives an unusable password: clients sign in by magic link
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # Sign-in by email ignores letter case, as every other lookup of an account by its address does.
        return self.with_email(username or "").get()

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def with_email(self, email: str) -> models.QuerySet:
        """The account with this address, whatever its letter case: compared as the unique index compares
        (PostgreSQL's lower() on both sides, which also uses that index)."""
        return self.alias(email_lower=Lower("email")).filter(email_lower=Lower(Value(email.strip())))

    def get_or_create_client(self, email: str, *, full_name: str = "") -> "User":
        """The client account for an email, created on first order (no password: magic links only)."""
        return self.client_get_or_create(email, full_name=full_name)[0]

    def client_get_or_create(self, email: str, *, full_name: str = "") -> tuple["User", bool]:
        """The account for an email and whether this call created it.

        "Alice@Example.com" is the account of "alice@example.com", whatever case either was typed in (an
        account made in the admin keeps the case it was typed with).
        """
        email = self.normalize_email(email).strip().lower()
        first_name, _, last_name = full_name.strip().partition(" ")
        existing = self.with_email(email).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                user = self.create(
                    email=email, first_name=first_name[:150], last_name=last_name[:150], password=make_password(None)
                )
        except IntegrityError:
            existing = self.with_email(email).first()  # created by a concurrent checkout meanwhile
            if existing is None:
                raise
            return existing, False
        return user, True


class User(AbstractUser):
    """Everyone who signs in: clients (magic link), experts and staff (password). Email is the identity."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # One account per address whatever its letter case: "Alice@…" must never be a second account
            # beside "alice@…" (paying under someone's address in another case is still their address).
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).strip().lower()

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


# --- Experts: the people who turn paid orders into readings (screens in the experts app) ---


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
        db_table = "experts_expert"  # moved from the experts app; same table
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


# --- Clients' profiles: what a client tells once, reused for every reading (screens in sanctuaire) ---


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
        db_table = "sanctuaire_clientprofile"  # moved from the sanctuaire app; same table
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
