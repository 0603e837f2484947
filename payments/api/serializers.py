import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from experts.models import Expert
from orders.models import LEVEL_BY_SLUG, Level, Offer, Service

# Digits with the usual separators and an optional leading +; 6 to 15 digits (E.164 allows 15).
PHONE_PATTERN = re.compile(r"\+?[\d\s().-]+")
# The same rule as one regular expression, for the OpenAPI schema (clients and the fuzzer read it there).
PHONE_SCHEMA_PATTERN = r"^\+?(?:[\s().-]*\d){6,15}[\s().-]*$"

WITHDRAWAL_WAIVER_REQUIRED = (
    "Cochez la case pour demander la livraison de votre lecture avant la fin du délai de rétractation : "
    "sans cet accord, nous ne pouvons pas la préparer."
)


@extend_schema_field({"type": "string", "maxLength": 40, "pattern": PHONE_SCHEMA_PATTERN, "example": "06 12 34 56 78"})
class PhoneField(serializers.CharField):
    """A phone number (checked by CreatePaymentIntentSerializer.validate_phone), documented with its pattern."""


class CreatePaymentIntentSerializer(serializers.Serializer):
    """The order form. Nothing in it says a price: the amount always comes from the offer in the database."""

    level = serializers.ChoiceField(
        choices=[(slug, level.label) for slug, level in LEVEL_BY_SLUG.items()],
        error_messages={"invalid_choice": "Niveau inconnu : « {input} »."},
    )
    service = serializers.ChoiceField(
        choices=Service.choices, error_messages={"invalid_choice": "Formule inconnue : « {input} »."}
    )
    expertId = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    email = serializers.EmailField(max_length=254)
    name = serializers.CharField(min_length=2, max_length=150)
    phone = PhoneField(max_length=40)
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
            raise serializers.ValidationError("Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78.")
        return value.strip()

    def validate_expertId(self, value: int | None) -> Expert | None:
        if value is None:
            return None
        expert = Expert.objects.active().filter(pk=value).first()
        if expert is None:
            raise serializers.ValidationError("Cet expert n'est pas disponible. Choisissez-en un autre ou « Peu importe ».")
        return expert

    def validate(self, attrs: dict) -> dict:
        offer = Offer.objects.orderable(level_slug=attrs["level"], service=attrs["service"])
        if offer is None:
            level = Level.from_slug(attrs["level"])
            raise serializers.ValidationError(
                {"service": [f"La formule {Service(attrs['service']).label} du niveau {level.label} n'est pas disponible."]}
            )
        attrs["offer"] = offer
        return attrs


class CreatePaymentIntentResponseSerializer(serializers.Serializer):
    clientSecret = serializers.CharField(help_text="The PaymentIntent's client secret.")
    orderId = serializers.UUIDField()
    amount = serializers.IntegerField(help_text="In cents, from the offer.")
    currency = serializers.CharField()
    setupClientSecret = serializers.CharField(
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
