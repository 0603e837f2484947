"""JSON shapes of the expert API (SPEC §9): camelCase, as the desk, n8n and outside clients expect."""

from rest_framework import serializers

from orders.models import LEVEL_BY_SLUG, ContentVersion, Order, OrderEvent, OrderStatus

from ..prompts import instructions_for, prompt_for
from ..selectors import DESK_STATUSES

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


class OrderListSerializer(serializers.ModelSerializer):
    statusLabel = serializers.CharField(source="get_status_display")
    level = serializers.CharField(source="level_slug")
    levelName = serializers.CharField(source="level_name")
    clientName = serializers.CharField(source="client_name")
    expert = ExpertSummarySerializer(allow_null=True)
    revisionCount = serializers.IntegerField(source="revision_count")
    lastError = serializers.CharField(source="last_error")
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
        content = order.generated_content or {}
        reading = str(content.get("reading", ""))
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
    fromStatus = serializers.CharField(source="from_status")
    toStatus = serializers.CharField(source="to_status")
    actor = serializers.EmailField(source="actor.email", default=None, allow_null=True)
    createdAt = serializers.DateTimeField(source="created_at")

    class Meta:
        model = OrderEvent
        fields = ("action", "fromStatus", "toStatus", "actor", "note", "createdAt")


class OrderDetailSerializer(OrderListSerializer):
    client = ClientInputsSerializer(source="*")
    expertPrompt = serializers.SerializerMethodField()
    expertInstructions = serializers.SerializerMethodField()
    generatedContent = serializers.JSONField(source="generated_content")
    validationNotes = serializers.CharField(source="validation_notes")
    rejectionReason = serializers.CharField(source="rejection_reason")
    versions = VersionSerializer(many=True)
    events = EventSerializer(many=True)

    class Meta(OrderListSerializer.Meta):
        fields = (
            *OrderListSerializer.Meta.fields, "client", "expertPrompt", "expertInstructions", "generatedContent",
            "validationNotes", "rejectionReason", "versions", "events",
        )

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

    def validate(self, attrs: dict) -> dict:
        if attrs["action"] == "reject" and not attrs["rejectionReason"].strip():
            raise serializers.ValidationError({"rejectionReason": ["Le motif de rejet est obligatoire pour rejeter."]})
        return attrs


class StatsSerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField())
    treatedToday = serializers.IntegerField()


# --- n8n callback ---------------------------------------------------------------------------------------

class GeneratedContentSerializer(serializers.Serializer):
    archetype = serializers.CharField(max_length=200)
    reading = serializers.CharField(max_length=100_000)
    ritual = serializers.CharField(max_length=20_000, required=False, allow_blank=True, default="")
    mandalaSvg = serializers.CharField(max_length=200_000, required=False, allow_blank=True, default="")
    synthesis = serializers.CharField(max_length=20_000, required=False, allow_blank=True, default="")
    guidance = serializers.CharField(max_length=50_000, required=False, allow_blank=True, default="")


class CallbackSerializer(serializers.Serializer):
    orderId = serializers.UUIDField()
    attemptId = serializers.UUIDField()
    success = serializers.BooleanField()
    content = GeneratedContentSerializer(required=False)
    error = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict) -> dict:
        if attrs["success"] and "content" not in attrs:
            raise serializers.ValidationError({"content": ["Le contenu est obligatoire quand success vaut true."]})
        return attrs


class CallbackResponseSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="content_received, or failure_recorded for an answer with success false.")
