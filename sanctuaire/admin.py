from django.contrib import admin

from accounts.models import ClientProfile
from lumira.admin_readonly import ReadOnlyAdmin

from .models import DataRequest


@admin.register(ClientProfile)
class ClientProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "complete", "updated_at")
    search_fields = ("user__email",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("face_photo", "palm_photo", "created_at", "updated_at")

    @admin.display(boolean=True, description="complet")
    def complete(self, profile: ClientProfile) -> bool:
        return profile.is_complete


@admin.register(DataRequest)
class DataRequestAdmin(ReadOnlyAdmin):
    """The audit of exports and erasures."""

    list_display = ("created_at", "kind", "user", "orders_count", "files_count")
    list_filter = ("kind",)
    list_select_related = ("user",)
