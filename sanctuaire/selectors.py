"""Sanctuaire reads: a client's orders, delivered readings and photos, always scoped to that client."""

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.models import ClientProfile
from engine.schema import readable_content
from orders.models import INTAKE_LABELS, INTAKE_REQUIRED, Order, OrderStatus

# What the dashboard and the readings need from an order (personal inputs are not decrypted for nothing).
ORDER_LIST_FIELDS = (
    "id", "number", "status", "level", "service", "amount", "currency", "duration",
    "created_at", "paid_at", "delivered_at", "generated_content", "audio_name",
)
TIMELINE = (
    (OrderStatus.PAID, pgettext_lazy("timeline", "Paid")),
    (OrderStatus.PROCESSING, gettext_lazy("In progress")),
    (OrderStatus.AWAITING_VALIDATION, gettext_lazy("Validation")),
    (OrderStatus.COMPLETED, pgettext_lazy("timeline", "Delivered")),
)
_TIMELINE_POSITION = {status: position for position, (status, _) in enumerate(TIMELINE)}


@dataclass(frozen=True)
class TimelineStep:
    label: str
    state: str  # "done", "current" or "todo"

    @property
    def state_label(self) -> str:
        return str({"done": gettext_lazy("step completed"), "current": gettext_lazy("step in progress"),
                    "todo": gettext_lazy("step to come")}[self.state])


def order_timeline(order: Order) -> list[TimelineStep]:
    """payé → en cours → validation → livré; empty for orders that never were, or no longer are, on it."""
    position = _TIMELINE_POSITION.get(order.status)
    if position is None:
        return []
    steps = []
    for index, (_, label) in enumerate(TIMELINE):
        if index < position or (index == position and order.status in (OrderStatus.PAID, OrderStatus.COMPLETED)):
            state = "done"
        elif index == position:
            state = "current"
        else:
            state = "todo"
        steps.append(TimelineStep(label, state))
    return steps


def _present(field: str) -> ExpressionWrapper:
    # The encrypted fields store an empty value as NULL: presence is known without decrypting anything.
    return ExpressionWrapper(Q(**{f"{field}__isnull": False}), output_field=BooleanField())


def client_orders(user) -> QuerySet[Order]:
    """The client's orders, newest first, each with `has_birth_date`/`has_question` (see `intake_waiting`)."""
    return (
        Order.objects.for_client(user)
        .only(*ORDER_LIST_FIELDS)
        .annotate(has_birth_date=_present("birth_date"), has_question=_present("question"))
        .order_by("-created_at")
    )


def intake_waiting(order: Order) -> list[str]:
    """What a paid order waits for from the client before the expert can start (French labels)."""
    if order.status != OrderStatus.PAID:
        return []
    present = {"birthDate": order.has_birth_date, "question": order.has_question}
    return [str(INTAKE_LABELS[api]) for _, api in INTAKE_REQUIRED if not present[api]]


def orders_waiting_for_intake(user) -> list[tuple[Order, list[str]]]:
    """The client's paid orders that wait for part of the intake, with what each one waits for."""
    paid_orders = client_orders(user).filter(status=OrderStatus.PAID)
    waiting = [(order, intake_waiting(order)) for order in paid_orders]
    return [(order, missing) for order, missing in waiting if missing]


def dashboard(user) -> dict:
    """The dashboard's orders (each with its timeline and what its intake waits for) and delivered readings
    (each with `readable`: the reading as text, whatever the shape of its content)."""
    orders = list(client_orders(user))
    readings = [order for order in orders if order.status == OrderStatus.COMPLETED]
    for order in readings:
        order.readable = readable_content(order.generated_content)
    return {"orders": [(order, order_timeline(order), intake_waiting(order)) for order in orders], "readings": readings}


def client_readings(user) -> QuerySet[Order]:
    """Delivered readings only: the approved version stored on completed orders, never a draft."""
    return client_orders(user).filter(status=OrderStatus.COMPLETED).order_by("-delivered_at", "-created_at")


def client_reading_get(user, order_id) -> Order:
    """One delivered reading of this client; anything else (another client's, a draft, unknown) is a 404."""
    order = client_readings(user).filter(pk=order_id).first()
    if order is None:
        raise Http404("Lecture introuvable.")
    return order


def profile_for(user) -> ClientProfile:
    """The client's profile, or an unsaved empty one (reading never writes)."""
    return ClientProfile.objects.filter(user=user).first() or ClientProfile(user=user)


def profile_is_complete(user) -> bool:
    """Whether the client filled in every required field, without reading (nor decrypting) any of them:
    the encrypted fields store an empty value as NULL (one query)."""
    required = {f"{name}__isnull": False for name in ClientProfile.REQUIRED_FIELDS}
    return ClientProfile.objects.filter(user=user, **required).exists()


# The statuses in which an expert works on an order, and so may see its client's photos.
PHOTO_WORK_STATUSES = (OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.AWAITING_VALIDATION)


def profile_photo_get(viewer, profile_id, kind: str) -> tuple[ClientProfile, str]:
    """A photo for its owner, or for an active expert who holds one of the owner's orders while working on
    it (paid → awaiting validation): not through a pending, delivered, refunded or canceled order. Else 404."""
    profile = ClientProfile.objects.filter(pk=profile_id).select_related("user").first()
    if profile is None or not profile.photo_name(kind):
        raise Http404("Photo introuvable.")
    allowed = profile.user_id == viewer.pk or Order.objects.filter(
        client_id=profile.user_id, expert__user=viewer, expert__is_active=True, status__in=PHOTO_WORK_STATUSES
    ).exists()
    if not allowed:
        raise Http404("Photo introuvable.")
    return profile, profile.photo_name(kind)
