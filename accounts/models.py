from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import IntegrityError, models, transaction
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy


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
    email = models.EmailField(gettext_lazy("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = gettext_lazy("user")
        verbose_name_plural = gettext_lazy("users")
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
