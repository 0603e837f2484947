from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Expert
from lumira.admin_readonly import ReadOnlyAdmin

from .models import AIRun, DeadLetter, DeadLetterStatus, GenerationAttempt
from .services import dead_letter_replay, expert_set_active


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "role", "is_active", "rating", "last_login_at")
    list_filter = ("role", "is_active")
    search_fields = ("name", "user__email")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("last_login_at", "created_at")

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if "is_active" in form.changed_data or (not change and not obj.is_active):
            # Deactivation closes every door at once (admin, desk sessions, API tokens).
            expert_set_active(expert=obj, is_active=obj.is_active)


@admin.register(DeadLetter)
class DeadLetterAdmin(admin.ModelAdmin):
    list_display = ("created_at", "order", "reason", "status", "tries", "error", "resolved_at")
    list_filter = ("status", "reason")
    search_fields = ("order__number",)  # `error` is encrypted: SQL cannot search it
    list_select_related = ("order",)
    date_hierarchy = "created_at"
    actions = ("replay",)
    fields = ("order", "attempt", "task", "reason", "error", "tries", "payload", "status", "created_at",
              "resolved_at", "resolved_by", "resolution_note")
    readonly_fields = ("order", "attempt", "task", "reason", "error", "tries", "payload", "status", "created_at",
                       "resolved_at", "resolved_by")

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Replay the selected dead letters"), permissions=["change"])
    def replay(self, request, queryset) -> None:
        outcomes = {"replayed": 0, "obsolete": 0, "skipped": 0}
        for letter_id in queryset.filter(status=DeadLetterStatus.PENDING).values_list("pk", flat=True):
            outcomes[dead_letter_replay(dead_letter_id=letter_id, actor=request.user)] += 1
        self.message_user(
            request,
            gettext("%(replayed)s sent back to generation, %(obsolete)s with nothing to do.") % outcomes,
            messages.SUCCESS,
        )


@admin.register(GenerationAttempt)
class GenerationAttemptAdmin(ReadOnlyAdmin):
    """Read-only trace of every request sent to the generator."""

    list_display = ("created_at", "order", "revision", "backend", "outcome", "sends", "resends", "answered_at")
    list_filter = ("outcome", "backend")
    search_fields = ("order__number", "id")
    list_select_related = ("order",)
    # The request holds the client's first name, chart and intake: not shown in admin (the desk shows it).
    exclude = ("request",)


@admin.register(AIRun)
class AIRunAdmin(ReadOnlyAdmin):
    """Read-only account of every call to a writer: backend, model, tokens, latency, estimated cost."""

    list_display = ("created_at", "order", "backend", "model", "prompt_tokens", "completion_tokens", "latency_ms",
                    "cost_eur", "outcome", "error")
    list_filter = ("outcome", "backend", "model")
    search_fields = ("order__number", "model")
    list_select_related = ("order",)
    date_hierarchy = "created_at"
