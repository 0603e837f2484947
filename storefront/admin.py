from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import ContactMessage, LegalPage


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "updated_at", "view_on_site_link")
    readonly_fields = ("slug", "updated_at")
    fields = ("title", "slug", "description", "body", "updated_at")

    @admin.display(description="page")
    def view_on_site_link(self, page: LegalPage) -> str:
        return format_html('<a href="{}">voir</a>', reverse(f"storefront:{page.slug}"))

    def view_on_site(self, page: LegalPage) -> str:
        return reverse(f"storefront:{page.slug}")

    def has_add_permission(self, request) -> bool:
        return False  # each page has its URL and footer link; new ones need both

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "subject", "emailed_at")
    list_filter = ("subject",)
    readonly_fields = ("name", "email", "subject", "message", "created_at", "emailed_at")

    def has_add_permission(self, request) -> bool:
        return False
