import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumira.encryption import EncryptedCharField, EncryptedDateField, EncryptedJSONField, EncryptedTextField


class Level(models.IntegerChoices):
    SIMPLE = 1, "Simple"
    INTUITIVE = 2, "Intuitive"
    ALCHIMIQUE = 3, "Alchimique"
    INTEGRALE = 4, "Intégrale"

    @classmethod
    def from_slug(cls, slug: str) -> "Level | None":
        return LEVEL_BY_SLUG.get(slug)

    @property
    def slug(self) -> str:
        return self.name.lower()


LEVEL_BY_SLUG = {level.name.lower(): level for level in Level}

# What each level adds in the Sanctuaire (SPEC §1); each level includes the ones below it.
LEVEL_DESCRIPTIONS = {
    Level.SIMPLE: _("Your profile and your written reading (text and PDF)."),
    Level.INTUITIVE: _("Adds the rituals and the audio part."),
    Level.ALCHIMIQUE: _("Adds the mandala and the synthesis."),
    Level.INTEGRALE: _("Adds the guidance: a 30-day support plan."),
}


class Service(models.TextChoices):
    BASIC = "basic", "Basic"
    PREMIUM = "premium", "Premium"
    VIP = "vip", "VIP"


# The reading's target length: about 25 words per minute of the offer's duration (SPEC §11).
WORDS_PER_MINUTE = 25


def delivery_target_hours(service: str) -> int | None:
    """Hours from payment to delivery promised for a tier (settings.DELIVERY_TARGET_HOURS)."""
    return settings.DELIVERY_TARGET_HOURS.get(service)


class LevelServiceMixin:
    """What an offer and an order derive alike from their `level` and `service` (tier) fields."""

    level: int
    service: str

    @property
    def level_name(self) -> str:
        return Level(self.level).label

    @property
    def level_slug(self) -> str:
        return Level(self.level).slug

    @property
    def delivery_hours(self) -> int | None:
        return delivery_target_hours(self.service)


class OfferQuerySet(models.QuerySet):
    def active(self) -> "OfferQuerySet":
        return self.filter(is_active=True)

    def orderable(self, *, level_slug: str, service: str) -> "Offer | None":
        level = Level.from_slug(level_slug)
        if level is None or service not in Service.values:
            return None
        return self.active().filter(level=level, service=service).first()


class Offer(LevelServiceMixin, models.Model):
    """What a client can buy: a (level, service) pair with its price. Copied onto the order at creation."""

    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    service = models.CharField(_("tier"), max_length=16, choices=Service.choices)
    name = models.CharField(_("name"), max_length=120)
    price_cents = models.PositiveIntegerField(_("price (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default="eur")
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    is_active = models.BooleanField(_("active"), default=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ("level", "price_cents")
        constraints = [models.UniqueConstraint(fields=("level", "service"), name="offer_unique_level_service")]

    def __str__(self) -> str:
        return self.name

    @property
    def target_words(self) -> int:
        return self.duration_minutes * WORDS_PER_MINUTE


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    PAID = "paid", _("Paid")
    PROCESSING = "processing", _("Being generated")
    AWAITING_VALIDATION = "awaiting_validation", _("Awaiting approval")
    COMPLETED = "completed", _("Delivered")
    FAILED = "failed", _("Payment failed")
    CANCELED = "canceled", _("Canceled")
    REFUNDED = "refunded", _("Refunded")


# What an order needs before it can be sent to generation (SPEC §5): (model field, API name, French label).
INTAKE_REQUIRED = (("birth_date", "birthDate"), ("question", "question"))
INTAKE_LABELS = {"birthDate": _("the date of birth"), "question": _("the question")}


class OrderQuerySet(models.QuerySet):
    def for_client(self, user) -> "OrderQuerySet":
        return self.filter(client=user)

    def with_access(self) -> "OrderQuerySet":
        """Orders that give Sanctuaire access: paid at some point and not refunded."""
        return self.filter(paid_at__isnull=False).exclude(status=OrderStatus.REFUNDED)


class Order(LevelServiceMixin, models.Model):
    # The UUID is the public id: it is the only id that appears in URLs and the API.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=32, choices=OrderStatus.choices, default=OrderStatus.PENDING)

    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="orders")
    # Copied from the offer at creation so that later price changes never touch a placed order.
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    service = models.CharField(_("tier"), max_length=16, choices=Service.choices)
    amount = models.PositiveIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3)
    duration = models.PositiveSmallIntegerField(_("duration (minutes)"))

    # The expert chosen by the client, or the one who took the order from the queue.
    expert = models.ForeignKey(
        "accounts.Expert", on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )

    # The client's inputs. Personal data is encrypted at rest (empty values are stored as NULL by the field).
    client_name = models.CharField(_("name"), max_length=150)
    client_email = models.EmailField(_("e-mail"))
    client_phone = EncryptedCharField(_("phone"), max_length=40, null=True, blank=True, default="")
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    birth_time = EncryptedCharField(_("time of birth"), max_length=5, null=True, blank=True, default="")
    birth_place = EncryptedCharField(_("place of birth"), max_length=200, null=True, blank=True, default="")
    question = EncryptedTextField(_("question"), null=True, blank=True, default="")
    objective = EncryptedTextField(_("goal"), null=True, blank=True, default="")
    # The birth chart computed from the inputs (SPEC §11): personal data like them, hence encrypted.
    # Written only by `orders.services` when the inputs are set or change (None without a birth date).
    chart = EncryptedJSONField(_("birth chart"), null=True, blank=True)
    # The one "complete your intake" email (SPEC §5), claimed under the row lock so it leaves once.
    intake_reminder_sent_at = models.DateTimeField(_("profile reminder sent on"), null=True, blank=True)

    # The expert's work. Encrypted too: the prompt is pre-filled with the inputs above, the content quotes
    # the question, and notes, reasons and errors may quote either.
    expert_prompt = EncryptedTextField(_("prompt"), blank=True, default="")
    expert_instructions = EncryptedTextField(_("instructions"), blank=True, default="")
    generated_content = EncryptedJSONField(_("generated content"), null=True, blank=True)
    revision_count = models.PositiveIntegerField(_("revisions"), default=0)
    validation_notes = EncryptedTextField(_("approval notes"), blank=True, default="")
    rejection_reason = EncryptedTextField(_("rejection reason"), blank=True, default="")
    last_error = EncryptedTextField(_("last error"), blank=True, default="")
    # Each generation request gets a fresh attempt id; only a callback for the current one is accepted.
    generation_attempt_id = models.UUIDField(null=True, blank=True, editable=False)

    # The reading read aloud (level ≥ 2): its name in private storage, set by the audio task after delivery.
    # Encrypted like every path to the client's files (SPEC §5); empty until rendered.
    audio_name = EncryptedCharField(_("audio file"), max_length=255, null=True, blank=True, default="")

    # Payment.
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True, default="", db_index=True)
    payment_flag = models.CharField(
        "anomalie de paiement", max_length=255, blank=True, default="",
        help_text="Set when Stripe reported a payment that does not match the order (never marked paid then).",
    )

    created_at = models.DateTimeField(_("created on"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modified on"), auto_now=True)
    paid_at = models.DateTimeField(_("paid on"), null=True, blank=True)
    # The client asked for delivery before the withdrawal period ends and acknowledged losing the right of
    # withdrawal once delivered (Code de la consommation, L221-28 13°): when they ticked the box.
    withdrawal_waived_at = models.DateTimeField(_("withdrawal waived on"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned on"), null=True, blank=True)
    generation_started_at = models.DateTimeField(_("generation started on"), null=True, blank=True)
    validated_at = models.DateTimeField(_("approved on"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered on"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True, help_text="Payment failed or canceled.")

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ("-created_at",)
        indexes = [
            # Expert queue: paid orders, own or unassigned (then sorted by delivery target: a top-N sort of
            # that subset); validation queue likewise.
            models.Index(fields=("status", "expert", "created_at"), name="order_queue_idx"),
            models.Index(fields=("status", "created_at"), name="order_status_created_idx"),
            models.Index(fields=("expert", "status"), name="order_expert_status_idx"),
            # Sanctuaire dashboard: a client's orders, newest first.
            models.Index(fields=("client", "created_at"), name="order_client_created_idx"),
            models.Index(fields=("created_at",), name="order_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=4), name="order_level_1_to_4"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def intake_missing(self) -> list[str]:
        """The intake fields generation needs and this order lacks, by their API names (SPEC §9)."""
        return [api_name for field, api_name in INTAKE_REQUIRED if not getattr(self, field)]

    @property
    def delivery_due_at(self) -> datetime | None:
        """When the promised delivery time runs out: payment + the tier's target (None before payment)."""
        hours = self.delivery_hours
        return self.paid_at + timedelta(hours=hours) if self.paid_at and hours else None

    @property
    def delivery_estimate(self) -> datetime | None:
        """The promised delivery moment while the client waits for the reading (paid, not delivered yet)."""
        waiting = {OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.AWAITING_VALIDATION}
        return self.delivery_due_at if self.status in waiting else None

    @property
    def client_first_name(self) -> str:
        return self.client_name.strip().partition(" ")[0]

    @property
    def client_last_name(self) -> str:
        return self.client_name.strip().partition(" ")[2]


class OrderNumberSequence(models.Model):
    """One row per day: the last order number handed out that day (LU + date + sequence)."""

    day = models.DateField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last_value}"


class OrderEvent(models.Model):
    """Audit row: one per state change of an order, written in the same transaction."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from status"), max_length=32, choices=OrderStatus.choices, blank=True, default="")
    to_status = models.CharField(_("to"), max_length=32, choices=OrderStatus.choices)
    action = models.CharField(_("action"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Encrypted: it repeats rejection reasons, validation notes and generator errors.
    note = EncryptedTextField(_("note"), blank=True, default="")
    created_at = models.DateTimeField(_("on"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=("order", "created_at"), name="orderevent_order_created_idx")]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status or '∅'} → {self.to_status} ({self.action})"


class VersionOutcome(models.TextChoices):
    PENDING = "pending", _("To approve")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    EDITED = "edited", _("Corrected by the expert")


class ContentVersion(models.Model):
    """Each generated version of a reading, kept forever so the desk can show the history."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="versions")
    revision = models.PositiveIntegerField(_("revision"))
    # Encrypted like the order's copies of the same texts.
    content = EncryptedJSONField(_("content"))
    prompt = EncryptedTextField(_("prompt used"), blank=True, default="")
    instructions = EncryptedTextField(_("instructions used"), blank=True, default="")
    attempt_id = models.UUIDField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=VersionOutcome.choices, default=VersionOutcome.PENDING)
    validation_notes = EncryptedTextField(_("notes"), blank=True, default="")
    rejection_reason = EncryptedTextField(_("rejection reason"), blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Set when the expert wrote this version by correcting the previous one (None: from the generator).
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("corrected by"),
    )
    created_at = models.DateTimeField(_("created on"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ("order", "revision")
        constraints = [
            models.UniqueConstraint(fields=("order", "revision"), name="contentversion_unique_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} v{self.revision}"
