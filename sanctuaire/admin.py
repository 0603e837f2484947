from django.contrib import admin

from .models import ClientProfile


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
