from django.contrib import admin
from django.contrib.admin.views.main import PAGE_VAR
from django.utils.translation import gettext_lazy as _

from accounts.models import Expert
from lumira.pagination import BoundedPaginator

from . import services
from .events import action_label
from .models import ContentVersion, Offer, Order, OrderEvent
from .selectors import orders_visible_to


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "service", "price_cents", "currency", "duration_minutes", "is_active")
    list_filter = ("level", "service", "is_active")
    list_editable = ("is_active",)


class ReadOnlyInline(admin.TabularInline):
    """History rows: shown with their order, never edited by hand."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ("created_at", "event", "from_status", "to_status", "actor", "note")
    readonly_fields = fields

    @admin.display(description=_("action"))
    def event(self, event: OrderEvent) -> str:
        return action_label(event.action)  # the label the desk shows (orders.events)


class ContentVersionInline(ReadOnlyInline):
    model = ContentVersion
    fields = ("revision", "outcome", "created_at", "reviewed_by", "reviewed_at", "rejection_reason", "validation_notes")
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("number", "status", "level", "service", "amount", "client_email", "expert", "created_at", "paid_at")
    # Dates as a filter (today, past 7 days, this month, this year: no query to list them) rather than a
    # date_hierarchy, whose year/month/day links each read every matching order (1.6 s at 1M orders).
    list_filter = ("status", "level", "service", "created_at", "expert")
    search_fields = ("number", "client_email", "client_name", "stripe_payment_intent_id")
    list_select_related = ("expert",)
    inlines = (ContentVersionInline, OrderEventInline)
    # Status and money only move through orders.services, so that every change leaves an event.
    readonly_fields = (
        "id", "number", "status", "client", "offer", "level", "service", "amount", "currency", "duration",
        "revision_count", "generated_content", "generation_attempt_id", "stripe_payment_intent_id", "payment_flag",
        "created_at", "updated_at", "paid_at", "assigned_at", "generation_started_at", "validated_at",
        "delivered_at", "refunded_at", "closed_at", "last_error", "withdrawal_waived_at",
    )
    raw_id_fields = ("expert",)
    # Counts that stay bounded at any size (lumira/pagination.py): no second, unfiltered count, and a
    # filtered count that reads at most COUNT_CAP rows ("1000+ orders", admin/orders/order/pagination.html).
    show_full_result_count = False
    paginator = BoundedPaginator

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
        paginator.reach(request.GET.get(PAGE_VAR, 1))  # a later page: counted up to its end
        return paginator

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        # Through orders.services like every write of an order: under its row lock, signals after commit.
        services.order_staff_update(order_id=obj.pk, values={name: getattr(obj, name) for name in form.changed_data})

    def get_queryset(self, request):
        """An expert sees here at most what the desk shows them (their orders and the unassigned paid ones,
        orders.selectors.orders_visible_to); only admins see every order. Staff without an expert profile
        and without superuser rights see none."""
        orders = super().get_queryset(request)
        if _sees_every_order(request):
            return orders
        expert = _expert_of(request)
        if expert is None:
            return orders.none()
        return orders.filter(pk__in=orders_visible_to(expert).values("pk"))

    def get_search_fields(self, request):
        # Searching by a client's email or name is an admin's tool: an expert finds an order by its number.
        return self.search_fields if _sees_every_order(request) else ("number",)

    def get_list_filter(self, request):
        return self.list_filter if _sees_every_order(request) else ("status", "level", "service", "created_at")


def _expert_of(request):
    """The signed-in user's active Expert row, read once per request."""
    if not hasattr(request, "_lumira_admin_expert"):
        request._lumira_admin_expert = Expert.objects.active().filter(user=request.user).first()
    return request._lumira_admin_expert


def _sees_every_order(request) -> bool:
    if request.user.is_superuser:
        return True
    expert = _expert_of(request)
    return expert is not None and expert.is_admin
