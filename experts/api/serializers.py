"""JSON shapes of the expert API (SPEC §9): camelCase, as the desk, n8n and outside clients expect."""

import json

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

from engine.schema import readable_content
from orders.events import action_label
from orders.models import LEVEL_BY_SLUG, ContentVersion, Order, OrderEvent, OrderStatus

from ..prompts import instructions_for, prompt_for
from ..selectors import DESK_STATUSES, order_generation

PREVIEW_CHARS = 280


class ExpertSummarySerializer(serializers.Serializer):
    """The expert as the seed's data format has it: {id, name, specialties, rating}."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    specialties = serializers.ListField(child=serializers.CharField())
    rating = serializers.FloatField(allow_null=True, help_text="Out of 5; null while the expert has no rating.")


class ExpertProfileSerializer(ExpertSummarySerializer):
    email = serializers.EmailField()
    role = serializers.CharField()


class LastErrorField(serializers.CharField):
    """`Order.last_error` as the expert reads it (`experts.generation.last_error_display`)."""

    def to_representation(self, value):
        from ..generation import last_error_display

        return last_error_display(super().to_representation(value))


class OrderListSerializer(serializers.ModelSerializer):
    statusLabel = serializers.CharField(source="get_status_display")
    level = serializers.CharField(source="level_slug")
    levelName = serializers.CharField(source="level_name")
    clientName = serializers.CharField(source="client_name")
    expert = ExpertSummarySerializer(allow_null=True)
    revisionCount = serializers.IntegerField(source="revision_count")
    lastError = LastErrorField(source="last_error")
    createdAt = serializers.DateTimeField(source="created_at")
    paidAt = serializers.DateTimeField(source="paid_at", allow_null=True)
    assignedAt = serializers.DateTimeField(source="assigned_at", allow_null=True)
    generationStartedAt = serializers.DateTimeField(source="generation_started_at", allow_null=True)
    deliveredAt = serializers.DateTimeField(source="delivered_at", allow_null=True)

    class Meta:
        model = Order
        fields = (
            "id", "number", "status", "statusLabel", "level", "levelName", "service", "amount", "currency",
            "duration", "clientName", "expert", "revisionCount", "lastError", "createdAt", "paidAt",
            "assignedAt", "generationStartedAt", "deliveredAt",
        )


class ValidationQueueSerializer(OrderListSerializer):
    preview = serializers.SerializerMethodField()

    class Meta(OrderListSerializer.Meta):
        fields = (*OrderListSerializer.Meta.fields, "preview")

    def get_preview(self, order: Order) -> dict:
        content = readable_content(order.generated_content)
        reading = content.get("reading", "")
        excerpt = reading if len(reading) <= PREVIEW_CHARS else reading[:PREVIEW_CHARS].rsplit(" ", 1)[0] + "…"
        return {"archetype": content.get("archetype", ""), "excerpt": excerpt}


class ClientInputsSerializer(serializers.Serializer):
    firstName = serializers.CharField(source="client_first_name")
    lastName = serializers.CharField(source="client_last_name")
    email = serializers.EmailField(source="client_email")
    phone = serializers.CharField(source="client_phone", allow_null=True)
    birthDate = serializers.DateField(source="birth_date", allow_null=True)
    birthTime = serializers.CharField(source="birth_time", allow_null=True)
    birthPlace = serializers.CharField(source="birth_place", allow_null=True)
    question = serializers.CharField(allow_null=True)
    objective = serializers.CharField(allow_null=True)


class VersionSerializer(serializers.ModelSerializer):
    rejectionReason = serializers.CharField(source="rejection_reason")
    validationNotes = serializers.CharField(source="validation_notes")
    reviewedBy = serializers.EmailField(source="reviewed_by.email", default=None, allow_null=True)
    reviewedAt = serializers.DateTimeField(source="reviewed_at", allow_null=True)
    createdAt = serializers.DateTimeField(source="created_at")

    class Meta:
        model = ContentVersion
        fields = ("revision", "outcome", "content", "prompt", "instructions", "rejectionReason", "validationNotes",
                  "reviewedBy", "reviewedAt", "createdAt")


class EventSerializer(serializers.ModelSerializer):
    actionLabel = serializers.SerializerMethodField(help_text="What the action means, as the desk shows it.")
    fromStatus = serializers.CharField(source="from_status")
    toStatus = serializers.CharField(source="to_status")
    actor = serializers.EmailField(source="actor.email", default=None, allow_null=True)
    createdAt = serializers.DateTimeField(source="created_at")

    class Meta:
        model = OrderEvent
        fields = ("action", "actionLabel", "fromStatus", "toStatus", "actor", "note", "createdAt")

    def get_actionLabel(self, event: OrderEvent) -> str:
        return action_label(event.action)


# --- The chart (SPEC §9 `chart`): documented field by field, answered as stored --------------------------

class ChartPlaceSerializer(serializers.Serializer):
    name = serializers.CharField(help_text='The resolved label, e.g. "Saint-Denis (La Réunion)".')
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    timezone = serializers.CharField(help_text="IANA time zone.")
    utcOffset = serializers.IntegerField(allow_null=True, help_text="Minutes east of UTC at the birth moment.")


class ChartBodySerializer(serializers.Serializer):
    key = serializers.ChoiceField(
        choices=["sun", "moon", "mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune", "pluto"]
    )
    longitude = serializers.FloatField(help_text="Tropical ecliptic longitude of date, 0–360 degrees.")
    sign = serializers.CharField(help_text="French name.")
    degree = serializers.FloatField(help_text="Degrees within the sign, 0–30.")
    retrograde = serializers.BooleanField()
    house = serializers.IntegerField(required=False, help_text="1–12, when the houses are known.")


class ChartAnglesSerializer(serializers.Serializer):
    ascendant = serializers.FloatField()
    midheaven = serializers.FloatField()


class ChartAspectSerializer(serializers.Serializer):
    a = serializers.CharField()
    b = serializers.CharField()
    type = serializers.ChoiceField(choices=["conjunction", "sextile", "square", "trine", "opposition"])
    orb = serializers.FloatField()


class ChartMoonPhaseSerializer(serializers.Serializer):
    name = serializers.CharField()
    illumination = serializers.FloatField()


class ChartNumerologySerializer(serializers.Serializer):
    lifePath = serializers.IntegerField(help_text="11, 22 and 33 are kept.")
    expression = serializers.IntegerField(allow_null=True)


class ChartTarotCardSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()


class ChartSerializer(serializers.Serializer):
    """The birth chart computed from the intake (SPEC §11)."""

    timeKnown = serializers.BooleanField()
    place = ChartPlaceSerializer(allow_null=True)
    bodies = ChartBodySerializer(many=True)
    angles = ChartAnglesSerializer(allow_null=True)
    houseSystem = serializers.CharField(allow_null=True)
    houses = serializers.ListField(child=serializers.FloatField(), allow_null=True, help_text="12 cusp longitudes.")
    aspects = ChartAspectSerializer(many=True)
    moonPhase = ChartMoonPhaseSerializer()
    numerology = ChartNumerologySerializer()
    tarot = ChartTarotCardSerializer(many=True)
    chineseSign = serializers.CharField()


@extend_schema_field(ChartSerializer(allow_null=True))
class ChartField(serializers.JSONField):
    """The stored chart as it is (null without a birth date)."""


@extend_schema_field({
    "type": "array", "items": {"type": "string", "enum": ["birthDate", "question"]},
    "description": "Intake fields generation needs and the order lacks; process-order answers 409 "
                   "`intake_incomplete` while it is not empty.",
})
class IntakeMissingField(serializers.ListField):
    pass


class AIRunSerializer(serializers.Serializer):
    backend = serializers.CharField()
    model = serializers.CharField()
    promptTokens = serializers.IntegerField(source="prompt_tokens", allow_null=True)
    completionTokens = serializers.IntegerField(source="completion_tokens", allow_null=True)
    latencyMs = serializers.IntegerField(source="latency_ms", allow_null=True)
    costEur = serializers.FloatField(source="cost_eur")
    outcome = serializers.CharField()
    error = serializers.CharField()
    createdAt = serializers.DateTimeField(source="created_at")


class AttemptProgressSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="The try in progress (or the last one made).")
    max = serializers.IntegerField()
    lastError = serializers.CharField(help_text="Why the previous try failed; empty when none did.")
    backend = serializers.CharField()
    outcome = serializers.CharField()
    retrying = serializers.BooleanField()


class MessageSerializer(serializers.Serializer):
    role = serializers.CharField()
    content = serializers.CharField()


class GenerationRequestSerializer(serializers.Serializer):
    messages = MessageSerializer(many=True)
    targetWords = serializers.IntegerField()
    sent = serializers.BooleanField(help_text="True: what was sent with the current attempt; false: what will be sent.")


class OrderDetailSerializer(OrderListSerializer):
    client = ClientInputsSerializer(source="*")
    chart = ChartField(allow_null=True)
    intakeMissing = IntakeMissingField(source="intake_missing", child=serializers.CharField())
    expertPrompt = serializers.SerializerMethodField()
    expertInstructions = serializers.SerializerMethodField()
    generatedContent = serializers.JSONField(source="generated_content")
    validationNotes = serializers.CharField(source="validation_notes")
    rejectionReason = serializers.CharField(source="rejection_reason")
    versions = VersionSerializer(many=True)
    events = EventSerializer(many=True)
    generationRequest = serializers.SerializerMethodField()
    attempt = serializers.SerializerMethodField()
    aiRuns = AIRunSerializer(source="ai_runs", many=True)

    class Meta(OrderListSerializer.Meta):
        fields = (
            *OrderListSerializer.Meta.fields, "client", "chart", "intakeMissing", "expertPrompt", "expertInstructions",
            "generatedContent", "validationNotes", "rejectionReason", "versions", "events", "generationRequest", "attempt",
            "aiRuns",
        )

    def _generation(self, order: Order) -> dict:
        if not hasattr(order, "_generation_view"):
            order._generation_view = order_generation(order)
        return order._generation_view

    @extend_schema_field(GenerationRequestSerializer)
    def get_generationRequest(self, order: Order) -> dict:
        generation = self._generation(order)
        return {**generation["request"], "sent": generation["request_sent"]}

    @extend_schema_field(AttemptProgressSerializer(allow_null=True))
    def get_attempt(self, order: Order) -> dict | None:
        return self._generation(order)["attempt"]

    def get_expertPrompt(self, order: Order) -> str:
        """The saved prompt, or the level's template pre-filled with the client's inputs."""
        return prompt_for(order)

    def get_expertInstructions(self, order: Order) -> str:
        return instructions_for(order)


class OrderEnvelopeSerializer(serializers.Serializer):
    order = OrderDetailSerializer()


# --- Requests -------------------------------------------------------------------------------------------

class LoginSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, max_length=256)


class LoginResponseSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    expert = ExpertProfileSerializer()


class QueueQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[*DESK_STATUSES, "all"], required=False, default=OrderStatus.PAID)
    level = serializers.ChoiceField(choices=list(LEVEL_BY_SLUG), required=False, allow_blank=True)

    def validate_level(self, value: str) -> int | None:
        return int(LEVEL_BY_SLUG[value]) if value else None

    def validate_status(self, value: str) -> str | None:
        return None if value == "all" else value


class AssignSerializer(serializers.Serializer):
    expertId = serializers.IntegerField(required=False, help_text="Admins only: give the order to this expert.")


class ProcessOrderSerializer(serializers.Serializer):
    orderId = serializers.UUIDField()
    expertPrompt = serializers.CharField(max_length=20000)
    expertInstructions = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")


class ValidateContentSerializer(serializers.Serializer):
    orderId = serializers.UUIDField()
    action = serializers.ChoiceField(choices=["approve", "reject"])
    validationNotes = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    rejectionReason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=10_000, default=None,
        help_text="The revision number of the version being judged (the order's revisionCount when it was read): "
                  "when another version has landed since, 409 `stale_version` and nothing changes.",
    )

    def validate(self, attrs: dict) -> dict:
        if attrs["action"] == "reject" and not attrs["rejectionReason"].strip():
            raise serializers.ValidationError({"rejectionReason": ["Le motif de rejet est obligatoire pour rejeter."]})
        return attrs


class StatsSerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField())
    treatedToday = serializers.IntegerField()
    aiCostEur = serializers.FloatField(help_text="Estimated cost of the AI runs on the orders this expert sees.")


# --- n8n callback ---------------------------------------------------------------------------------------

def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


class UsageSerializer(serializers.Serializer):
    model = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    promptTokens = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    completionTokens = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)


class InvalidJSON(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"
    default_detail = "Corps JSON invalide."


class CallbackSerializer(serializers.Serializer):
    orderId = serializers.UUIDField()
    attemptId = serializers.UUIDField()
    success = serializers.BooleanField()
    # Checked against the level's schema and length by the service (422 with the reasons when it does not match).
    content = serializers.JSONField(required=False)
    error = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    usage = UsageSerializer(required=False)

    def validate_content(self, value: object) -> object:
        if _has_nul(value):  # PostgreSQL cannot store U+0000 in JSON, and no writer has a reason to send it
            raise serializers.ValidationError("Le contenu contient un caractère nul.")
        return value

    def validate(self, attrs: dict) -> dict:
        if attrs["success"] and "content" not in attrs:
            raise serializers.ValidationError({"content": ["Le contenu est obligatoire quand success vaut true."]})
        return attrs

    @classmethod
    def validated_body(cls, body: bytes) -> dict:
        """The callback's raw (signed) body as validated data: 400 for malformed JSON or an invalid body."""
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError) as error:
            raise InvalidJSON() from error
        callback = cls(data=data if isinstance(data, dict) else {})
        callback.is_valid(raise_exception=True)
        return callback.validated_data


class CallbackResponseSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="content_received, or failure_recorded for an answer with success false.")
