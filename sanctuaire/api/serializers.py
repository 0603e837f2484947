from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import ClientProfile, PhotoKind
from lumira.api import TextField
from orders.intake import INTAKE_FIELDS, IntakeForm, birth_date_check, intake_initial
from orders.levels import SECTIONS
from orders.models import Level, Order, Service

from ..access import Entitlements


class TokenRequestSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=500, help_text="The `sesame` parameter of the emailed link.")


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


@extend_schema_field({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", "example": "08:30"})
class BirthTimeField(serializers.TimeField):
    """A birth time, answered as "HH:MM" (the JSON Schema "time" format would require seconds and an offset)."""


class ProfileSerializer(serializers.ModelSerializer):
    """The client profile in camelCase (SPEC §9). Photos are sent through the Sanctuaire's form."""

    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.display_name", read_only=True)
    birthDate = serializers.DateField(source="birth_date")
    birthTime = BirthTimeField(source="birth_time", format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"])
    birthPlace = TextField(source="birth_place", max_length=200)
    question = TextField(max_length=2000)
    objective = TextField(max_length=2000)
    isComplete = serializers.BooleanField(source="is_complete", read_only=True)
    facePhotoUrl = serializers.SerializerMethodField()
    palmPhotoUrl = serializers.SerializerMethodField()

    class Meta:
        model = ClientProfile
        fields = (
            "email", "name", "birthDate", "birthTime", "birthPlace", "question", "objective", "isComplete",
            "facePhotoUrl", "palmPhotoUrl",
        )

    def to_representation(self, instance: ClientProfile) -> dict:
        data = super().to_representation(instance)
        data["birthTime"] = instance.birth_time or None  # stored as "HH:MM" text
        for key in ("birthPlace", "question", "objective"):
            data[key] = data[key] or ""  # an empty encrypted field reads back as None: always a string here
        return data

    def validate_birthTime(self, value) -> str:
        return value.strftime("%H:%M")

    def validate_birthDate(self, value):
        try:
            birth_date_check(value)  # the intake form's rule, here so that it is reported with the other fields
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return value

    def validate(self, attrs: dict) -> dict:
        """The whole intake (saved values with the sent ones on top) through the shared intake form, so that
        the order page, the profile page and this API apply the same rules; the place is stored resolved."""
        merged = {**intake_initial(self.instance), **attrs}
        merged["birth_time_unknown"] = not merged.get("birth_time")
        data = {name: value.isoformat() if hasattr(value, "isoformat") else (value or "") for name, value in merged.items()}
        form = IntakeForm(data=data)
        if not form.is_valid():
            raise serializers.ValidationError(form.api_errors())
        return {**attrs, **{name: form.intake[name] for name in INTAKE_FIELDS if name in attrs}}

    def get_facePhotoUrl(self, profile: ClientProfile) -> str | None:
        return profile.photo_url(PhotoKind.FACE) or None

    def get_palmPhotoUrl(self, profile: ClientProfile) -> str | None:
        return profile.photo_url(PhotoKind.PALM) or None


class ProfileResponseSerializer(ProfileSerializer):
    """The profile as answered (OpenAPI only): birth date and time are null until the client gives them."""

    birthDate = serializers.DateField(source="birth_date", allow_null=True)
    birthTime = BirthTimeField(source="birth_time", format="%H:%M", allow_null=True)

    class Meta(ProfileSerializer.Meta):
        pass


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unlocked = serializers.BooleanField()
    requiredLevel = serializers.IntegerField()
    upgradeUrl = serializers.CharField(allow_null=True)


class EntitlementsSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    levelName = serializers.CharField()
    sections = SectionSerializer(many=True)

    @staticmethod
    def from_entitlements(entitlements: Entitlements) -> dict:
        return {
            "level": entitlements.level,
            "levelName": entitlements.level_name,
            "sections": [
                {
                    "key": section.key,
                    "label": section.label,
                    "unlocked": unlocked,
                    "requiredLevel": section.level,
                    "upgradeUrl": None if unlocked else section.upgrade_url,
                }
                for section, unlocked in entitlements.sections
            ],
        }


class ReadingContentSerializer(serializers.Serializer):
    """The content's parts the level unlocks, in the shape of engine/schema.py (SPEC §11)."""

    title = serializers.CharField(required=False)
    archetype = serializers.JSONField(required=False, help_text='{"name", "source"}')
    reading = serializers.JSONField(required=False, help_text='{"intro", "sections": [{"title", "body"}], "closing"}')
    ritual = serializers.JSONField(required=False, help_text='{"title", "moment", "steps": [...], "intention"}')
    mandala = serializers.JSONField(required=False, help_text='{"colors", "symbols", "intention"}')
    synthesis = serializers.CharField(required=False)
    guidance = serializers.JSONField(required=False, help_text='[{"day", "focus", "practice"}] × 30')


class ReadingSerializer(serializers.Serializer):
    """A delivered reading with only the parts the client's level unlocks (`context["entitlements"]`)."""

    orderId = serializers.UUIDField(source="id")
    orderNumber = serializers.CharField(source="number")
    level = serializers.ChoiceField(choices=Level.choices)
    levelName = serializers.CharField(source="level_name")
    service = serializers.ChoiceField(choices=Service.choices, label="Tier")
    deliveredAt = serializers.DateTimeField(source="delivered_at")
    content = serializers.SerializerMethodField()
    lockedSections = serializers.SerializerMethodField()
    pdfUrl = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_content(self, order: Order) -> ReadingContentSerializer:
        return self.context["entitlements"].visible_content(order.generated_content)

    def get_lockedSections(self, order: Order) -> list[str]:
        entitlements = self.context["entitlements"]
        return [section.key for section in SECTIONS if not entitlements.unlocks(section.key)]

    def get_pdfUrl(self, order: Order) -> str:
        return reverse("sanctuaire:api_reading_pdf", kwargs={"order_id": order.pk})

    def get_url(self, order: Order) -> str:
        return reverse("sanctuaire:reading_detail", kwargs={"order_id": order.pk})
