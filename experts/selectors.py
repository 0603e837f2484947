"""Reads for the desk and the expert API: queues, one order with its history, stats.

Both the desk and the API call these, so they show the same orders to the same expert.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.http import Http404
from django.utils import timezone

from accounts.models import ClientProfile, Expert, PhotoKind
from orders.models import ContentVersion, Order, OrderEvent, OrderStatus
from orders.selectors import DESK_STATUSES, orders_visible_to

from .generation_request import generation_request_for
from .models import AIRun, AttemptOutcome, DeadLetter, GenerationAttempt

S = OrderStatus
# Columns a queue row needs: the encrypted client inputs are not read (nor decrypted) for a list.
_LIST_FIELDS = (
    "id", "number", "status", "level", "service", "amount", "currency", "duration", "client_name", "expert",
    "expert__name", "expert__specialties", "expert__rating", "revision_count", "last_error", "created_at", "paid_at",
    "assigned_at", "generation_started_at", "delivered_at",
)


def _delivery_due() -> ExpressionWrapper:
    """paid_at + the tier's delivery target, in SQL (as Order.delivery_due_at), to sort the queue by it."""
    targets = [When(service=service, then=F("paid_at") + timedelta(hours=hours))
               for service, hours in settings.DELIVERY_TARGET_HOURS.items()]
    return ExpressionWrapper(Case(*targets, default=F("paid_at")), output_field=DateTimeField())


def _present(field: str) -> ExpressionWrapper:
    # An empty encrypted field is stored as NULL: whether it is filled is known without decrypting it.
    return ExpressionWrapper(Q(**{f"{field}__isnull": False}), output_field=BooleanField())


def order_queue(*, expert: Expert, status: str | None = S.PAID, level: int | None = None) -> QuerySet[Order]:
    """The queue, the soonest delivery target first (then the oldest). `status=None` means every desk status.
    Each row knows its due time (`due_at`) and whether its intake is there (`has_birth_date`, `has_question`)."""
    orders = orders_visible_to(expert)
    if status:
        orders = orders.filter(status=status)
    if level:
        orders = orders.filter(level=level)
    return (
        orders.select_related("expert").only(*_LIST_FIELDS)
        .annotate(due_at=_delivery_due(), has_birth_date=_present("birth_date"), has_question=_present("question"))
        .order_by(F("due_at").asc(nulls_last=True), "created_at", "pk")
    )


def validation_queue(*, expert: Expert) -> QuerySet[Order]:
    """Orders whose generated content waits for the expert's approval, with that content (the preview)."""
    return (
        orders_visible_to(expert)
        .filter(status=S.AWAITING_VALIDATION)
        .select_related("expert")
        .only(*_LIST_FIELDS, "generated_content")
        .order_by("generation_started_at", "pk")
    )


def order_for_expert(*, expert: Expert, order_id) -> Order:
    """One order with its versions and events, or 404 for an order the expert may not see."""
    order = (
        orders_visible_to(expert)
        .select_related("expert")
        .prefetch_related(
            Prefetch("versions", queryset=ContentVersion.objects.select_related(
                "reviewed_by", "edited_by__expert").order_by("revision")),  # the corrector named by their name
            Prefetch("events", queryset=OrderEvent.objects.select_related("actor__expert").order_by("created_at", "id")),
            Prefetch("ai_runs", queryset=AIRun.objects.order_by("created_at", "id")),
        )
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise Http404("Commande introuvable.")
    return order


def order_for_action(*, order_id) -> Order:
    """An order an expert may act on, or 404. Whether *this* expert may is the services' call (409)."""
    order = Order.objects.filter(pk=order_id, status__in=DESK_STATUSES).only("id", "status", "expert").first()
    if order is None:
        raise Http404("Commande introuvable.")
    return order


def order_stats(*, expert: Expert) -> dict:
    """Counts per status over the orders the expert sees, how many they delivered today, and what the AI runs on
    those orders cost (estimated). Two queries."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    orders = Order.objects.all() if expert.is_admin else orders_visible_to(expert)
    treated = Q(delivered_at__gte=today) if expert.is_admin else Q(delivered_at__gte=today, expert=expert)
    statuses = S.values if expert.is_admin else DESK_STATUSES
    counts = orders.aggregate(
        treated_today=Count("pk", filter=treated),
        **{status: Count("pk", filter=Q(status=status)) for status in statuses},
    )
    treated_today = counts.pop("treated_today")
    runs = AIRun.objects.all() if expert.is_admin else AIRun.objects.filter(order__in=orders_visible_to(expert))
    cost = runs.aggregate(total=Sum("cost_eur"))["total"] or 0
    return {"counts": counts, "treated_today": treated_today, "ai_cost_eur": float(round(cost, 4))}


def attempt_progress(attempt: GenerationAttempt | None) -> dict | None:
    """Which try the attempt is at and why the previous one failed: "tentative 2/5 — <error>"."""
    if attempt is None:
        return None
    waiting_for_retry = attempt.outcome == AttemptOutcome.PENDING and bool(attempt.last_error)
    maximum = settings.GENERATION_MAX_ATTEMPTS
    number = max(1, min(attempt.sends + (1 if waiting_for_retry else 0), maximum))
    return {
        "number": number, "max": maximum, "lastError": attempt.last_error, "backend": attempt.backend,
        "outcome": attempt.outcome, "retrying": waiting_for_retry,
    }


# The desk panel polls a running generation quickly at first (most answers come within a minute), then slowly.
POLL_FAST_SECONDS, POLL_SLOW_SECONDS, POLL_FAST_FOR_SECONDS = 2, 10, 60


def elapsed_label(seconds: float) -> str:
    """A short French duration: "45 s", "3 min", "1 h 05"."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d}"


def attempt_started_at(order: Order, attempt: GenerationAttempt | None):
    """When the current attempt started (an order without its attempt record: when generation started)."""
    return attempt.created_at if attempt is not None else order.generation_started_at


def generation_timing(order: Order, attempt: GenerationAttempt | None, *, now=None) -> dict | None:
    """For the desk: how long the running attempt has waited, how often the panel polls, and whether the
    expert may relaunch it (overdue after GENERATION_OVERDUE_SECONDS; or the order came back with an error)."""
    if order.status == S.PAID:  # back in the queue after a failed generation: its dead letter waits
        relaunchable = bool(order.last_error) and DeadLetter.objects.pending().filter(order=order).exists()
        return {"relaunchable": True} if relaunchable else None
    if order.status != S.PROCESSING:
        return None
    started = attempt_started_at(order, attempt)
    elapsed = ((now or timezone.now()) - started).total_seconds() if started else 0
    return {
        "elapsed": elapsed_label(elapsed),
        "poll_seconds": POLL_FAST_SECONDS if elapsed < POLL_FAST_FOR_SECONDS else POLL_SLOW_SECONDS,
        "relaunchable": elapsed >= settings.GENERATION_OVERDUE_SECONDS,
        "overdue_after": elapsed_label(settings.GENERATION_OVERDUE_SECONDS),
    }


def order_generation(order: Order) -> dict:
    """For the desk and the API: the current attempt's progress, and the generation request that will be sent
    (a paid order: built now from its current prompt) or that was sent (kept, encrypted, with the attempt);
    for the desk, its timing (`generation_timing`)."""
    attempt = None
    if order.generation_attempt_id:
        attempt = GenerationAttempt.objects.filter(pk=order.generation_attempt_id).first()
    sent = attempt is not None and attempt.request and order.status != S.PAID
    return {
        "request": attempt.request if sent else generation_request_for(order).as_json(),
        "request_sent": bool(sent),
        "attempt": attempt_progress(attempt),
        "timing": generation_timing(order, attempt),
    }


def order_for_holder(*, expert: Expert, order_id) -> Order:
    """An order this expert sees (their own, or any for an admin), for an action only its holder takes; else 404."""
    order = orders_visible_to(expert).filter(pk=order_id).only("id", "status", "expert").first()
    if order is None:
        raise Http404("Commande introuvable.")
    return order


def order_photos(*, order: Order, expert: Expert) -> list[tuple[str, str]]:
    """The client's photos (label, permission-checked URL) for the expert who holds the order; else none."""
    if order.expert_id != expert.pk:
        return []
    profile = ClientProfile.objects.filter(user_id=order.client_id).only("id", "face_photo", "palm_photo").first()
    if profile is None:
        return []
    return [(label, profile.photo_url(kind)) for kind, label in PhotoKind.choices if profile.photo_name(kind)]
