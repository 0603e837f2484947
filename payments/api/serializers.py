import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Expert
from lumira.api import TextField
from orders.intake import IntakeForm
from orders.models import LEVEL_BY_SLUG, Level, Offer, Service

# Digits with the usual separators and an optional leading +; 6 to 15 digits (E.164 allows 15).
PHONE_PATTERN = re.compile(r"\+?[\d\s().-]+")
# The same rule as one regular expression, for the OpenAPI schema (clients and the fuzzer read it there).
PHONE_SCHEMA_PATTERN = r"^\+?(?:[\s().-]*\d){6,15}[\s().-]*$"

WITHDRAWAL_WAIVER_REQUIRED = _(
    "Tick the box to ask for your reading to be delivered before the end of the withdrawal period: "
    "without this agreement, we cannot prepare it."
)


@extend_schema_field({"type": "string", "maxLength": 40, "pattern": PHONE_SCHEMA_PATTERN, "example": "06 12 34 56 78"})
class PhoneField(serializers.CharField):
    """A phone number (checked by CreatePaymentIntentSerializer.validate_phone), documented with its pattern."""


@extend_schema_field({"type": "string", "format": "date", "nullable": True, "example": "1990-05-17"})
class BirthDateField(TextField):
    """A birth date, YYYY-MM-DD, checked by the shared intake form (orders/intake.py)."""


def _optional_text(max_length: int, help_text: str) -> serializers.CharField:
    return TextField(
        max_length=max_length, required=False, allow_blank=True, allow_null=True, help_text=help_text
    )


class CreatePaymentIntentSerializer(serializers.Serializer):
    """The order form. Nothing in it says a price: the amount always comes from the offer in the database."""

    level = serializers.ChoiceField(
        choices=[(slug, level.label) for slug, level in LEVEL_BY_SLUG.items()],
        error_messages={"invalid_choice": _("Unknown level: “{input}”.")},
    )
    service = serializers.ChoiceField(
        choices=Service.choices, error_messages={"invalid_choice": _("Unknown tier: “{input}”.")}
    )
    expertId = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    email = serializers.EmailField(max_length=254)
    name = serializers.CharField(min_length=2, max_length=150)
    phone = PhoneField(max_length=40)
    # The intake (SPEC §5): optional here, required before generation; validated by orders.intake.IntakeForm.
    birthDate = BirthDateField(
        max_length=10, required=False, allow_blank=True, allow_null=True,
        help_text="1900-01-01 to 2050-12-31, not in the future.",
    )
    birthTime = serializers.RegexField(
        r"^([01]\d|2[0-3]):[0-5]\d$", max_length=5, required=False, allow_blank=True, allow_null=True,
        help_text="Local time HH:MM at the birth place; absent or null when unknown. A time skipped by a "
                  "spring-forward is refused.",
        error_messages={"invalid": "Saisissez l'heure au format HH:MM, par exemple 14:30."},
    )
    birthTimeUnknown = serializers.BooleanField(
        required=False, default=False, help_text="The client does not know the time (birthTime is then ignored)."
    )
    birthPlace = _optional_text(
        200, "A city the gazetteer knows: a name (\"Lyon\") or a label from GET /api/places "
             "(\"Saint-Denis (La Réunion)\"); an ambiguous or unknown name is a field error listing candidates.",
    )
    question = _optional_text(2000, "What the client wants the reading to shed light on.")
    objective = _optional_text(2000, "What the client would like to change in the coming months.")
    withdrawalWaiver = serializers.BooleanField(
        help_text="Must be true: the client asks for delivery before the 14-day withdrawal period ends and "
                  "acknowledges losing the right of withdrawal once the reading is delivered (L221-28 13°).",
        error_messages={"required": WITHDRAWAL_WAIVER_REQUIRED, "null": WITHDRAWAL_WAIVER_REQUIRED},
    )

    def validate_withdrawalWaiver(self, value: bool) -> bool:
        if value is not True:
            raise serializers.ValidationError(WITHDRAWAL_WAIVER_REQUIRED)
        return value

    def validate_phone(self, value: str) -> str:
        digits = re.sub(r"\D", "", value)
        if not PHONE_PATTERN.fullmatch(value) or not 6 <= len(digits) <= 15:
            raise serializers.ValidationError(_("Enter a valid phone number, for example 06 12 34 56 78."))
        return value.strip()

    def validate_expertId(self, value: int | None) -> Expert | None:
        if value is None:
            return None
        expert = Expert.objects.active().filter(pk=value).first()
        if expert is None:
            raise serializers.ValidationError(_("This expert is not available. Choose another one or “No preference”."))
        return expert

    def _intake(self, attrs: dict) -> dict:
        """The intake through the one form the Sanctuaire profile also uses; its errors under API names."""
        form = IntakeForm(data={
            "birth_date": attrs.get("birthDate") or "",
            "birth_time": attrs.get("birthTime") or "",
            "birth_time_unknown": attrs.get("birthTimeUnknown", False),
            "birth_place": attrs.get("birthPlace") or "",
            "question": attrs.get("question") or "",
            "objective": attrs.get("objective") or "",
        })
        if not form.is_valid():
            raise serializers.ValidationError(form.api_errors())
        return form.intake

    def validate(self, attrs: dict) -> dict:
        attrs["intake"] = self._intake(attrs)
        offer = Offer.objects.orderable(level_slug=attrs["level"], service=attrs["service"])
        if offer is None:
            level = Level.from_slug(attrs["level"])
            raise serializers.ValidationError(
                {"service": [f"La formule {Service(attrs['service']).label} du niveau {level.label} n'est pas disponible."]}
            )
        attrs["offer"] = offer
        return attrs


class CreatePaymentIntentResponseSerializer(serializers.Serializer):
    """A started checkout (payments.checkout.Checkout)."""

    clientSecret = serializers.CharField(source="client_secret", help_text="The PaymentIntent's client secret.")
    orderId = serializers.UUIDField(source="order.pk")
    amount = serializers.IntegerField(source="order.amount", help_text="In cents, from the offer.")
    currency = serializers.CharField(source="order.currency")
    setupClientSecret = serializers.CharField(
        source="setup_client_secret",
        help_text="A SetupIntent's client secret: the browser confirms it with the card (confirmCardSetup)."
    )


class OrderIdSerializer(serializers.Serializer):
    orderId = serializers.UUIDField()


class SetupIntentResponseSerializer(serializers.Serializer):
    setupClientSecret = serializers.CharField()


class ConfirmPaymentSerializer(OrderIdSerializer):
    setupIntentId = serializers.RegexField(r"^seti_\w{1,250}$", error_messages={"invalid": "Identifiant invalide."})


class ConfirmPaymentResponseSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="The PaymentIntent's status: succeeded, processing or requires_action.")
    orderId = serializers.UUIDField()
    clientSecret = serializers.CharField(
        required=False, help_text="Present with requires_action: the browser finishes with confirmCardPayment."
    )
    redirectUrl = serializers.CharField(help_text="The confirmation page.")


class OrderPaymentStatusSerializer(serializers.Serializer):
    """What anyone holding the order id may see: no personal data."""

    id = serializers.UUIDField()
    status = serializers.CharField()
    paymentStatus = serializers.CharField(source="payment_status", allow_null=True)
    amount = serializers.IntegerField()
    currency = serializers.CharField()
    level = serializers.CharField(source="level_slug")
    service = serializers.CharField()
    duration = serializers.IntegerField()
    createdAt = serializers.DateTimeField(source="created_at")
    paidAt = serializers.DateTimeField(source="paid_at", allow_null=True)


class OrderPaymentStatusResponseSerializer(serializers.Serializer):
    order = OrderPaymentStatusSerializer()
