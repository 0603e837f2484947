"""An order's birth and creation: its number, its intake and chart, the client's later inputs, staff edits."""

from collections.abc import Mapping
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..charts import chart_for_intake
from ..intake import INTAKE_FIELDS
from ..models import INTAKE_REQUIRED, Offer, Order, OrderNumberSequence, OrderStatus
from .core import changed, lock, record_event
from .errors import OrderServiceError


def _next_order_number(today: date) -> str:
    # One counter row per day, incremented under a row lock: numbers are unique and gap-free per day.
    try:
        with transaction.atomic():
            OrderNumberSequence.objects.get_or_create(day=today)
    except IntegrityError:
        pass  # another request created today's row first
    updated = OrderNumberSequence.objects.filter(day=today).update(last_value=F("last_value") + 1)
    assert updated == 1
    value = OrderNumberSequence.objects.values_list("last_value", flat=True).get(day=today)
    return f"LU{today:%Y%m%d}{value:05d}"


WITHDRAWAL_WAIVER_NOTE = "Livraison demandée avant la fin du délai de rétractation ; renonciation reconnue (L221-28 13°)."


def order_create(
    *,
    offer: Offer,
    client,
    client_name: str,
    client_email: str,
    client_phone: str = "",
    expert=None,
    actor=None,
    intake: dict | None = None,
    withdrawal_waived_at=None,
) -> Order:
    """A new `pending` order priced from the offer (never from the request), with the client's intake
    (`orders.intake.IntakeForm.intake`, already validated) and the chart computed from it.

    `withdrawal_waived_at`: when the client asked for delivery before the end of the withdrawal period
    (the checkout requires it; the event's note keeps the record too).
    """
    if not offer.is_active:
        raise OrderServiceError(_("This offer is no longer available."))
    intake = {name: value for name, value in (intake or {}).items() if value}
    with transaction.atomic():
        order = Order(
            number=_next_order_number(timezone.localdate()),
            client=client,
            offer=offer,
            level=offer.level,
            service=offer.service,
            amount=offer.price_cents,
            currency=offer.currency,
            duration=offer.duration_minutes,
            expert=expert,
            assigned_at=timezone.now() if expert else None,
            client_name=client_name,
            client_email=client_email.strip().lower(),
            client_phone=client_phone,
            withdrawal_waived_at=withdrawal_waived_at,
            **intake,
        )
        order_chart_apply(order)
        order.save(force_insert=True)
        note = WITHDRAWAL_WAIVER_NOTE if withdrawal_waived_at else ""
        record_event(order, from_status="", action="created", actor=actor or client, note=note)
    return order


def order_chart_apply(order: Order) -> bool:
    """Compute the order's chart from its intake (in memory: the caller saves, under its lock).

    The one place where an order gets its chart: at creation and whenever the intake changes.
    Returns whether the chart changed.
    """
    chart = chart_for_intake(
        birth_date=order.birth_date,
        birth_time=order.birth_time or "",
        birth_place=order.birth_place or "",
        full_name=order.client_name,
    )
    is_new = chart != order.chart
    order.chart = chart
    return is_new


def order_refresh_chart(*, order_id) -> bool:
    """Recompute and store an order's chart (e.g. after an engine upgrade). Returns whether it changed."""
    with transaction.atomic():
        order = lock(order_id)
        if not order_chart_apply(order):
            return False
        order.save(update_fields=["chart", "updated_at"])
        record_event(order, from_status=order.status, action="chart_computed")
    return True


def order_intake_reminder_claim(*, order_id) -> bool:
    """Whether the "complete your intake" email must leave now: a paid order lacking what generation
    needs, never reminded before. The timestamp is set under the row lock, so a repeated payment event
    or a concurrent webhook cannot send it twice; the caller sends the email after commit."""
    # Most paid orders have their intake: answered without a lock nor a decryption (an empty encrypted
    # field is stored as NULL), so that the webhook path stays cheap.
    lacking = Q()
    for field, _label in INTAKE_REQUIRED:
        lacking |= Q(**{f"{field}__isnull": True})
    waiting = Order.objects.filter(lacking, pk=order_id, paid_at__isnull=False, intake_reminder_sent_at__isnull=True)
    if not waiting.exists():
        return False
    with transaction.atomic():
        order = lock(order_id)
        if order.paid_at is None or order.intake_reminder_sent_at is not None or not order.intake_missing:
            return False
        order.intake_reminder_sent_at = timezone.now()
        order.save(update_fields=["intake_reminder_sent_at", "updated_at"])
        record_event(order, from_status=order.status, action="intake_reminder", note=", ".join(order.intake_missing))
    return True


CLIENT_INPUTS_NOTE = "Profil mis à jour dans le Sanctuaire."


def _missing_inputs(order: Order, values: dict) -> dict:
    """The given values for what the order lacks; birth data only as a whole (never a profile's birth
    place or time mixed with the birth date given at checkout)."""
    birth = ("birth_date", "birth_time", "birth_place")
    if order.birth_date:
        return {field: value for field, value in values.items() if field not in birth and not getattr(order, field)}
    return {field: value for field, value in values.items() if field in birth or not getattr(order, field)}


def orders_client_inputs_apply(*, client, inputs: Mapping, overwrite: bool = False, actor=None) -> int:
    """Copy the client's inputs (`INTAKE_FIELDS` → value, e.g. their Sanctuaire profile's) onto their orders
    that are paid and not yet sent to generation.

    With `overwrite` (the client just saved them) the inputs win; otherwise (payment, sign-in) they only fill
    what an order lacks, so that what the client typed at checkout for this order (a new question, say) is
    kept. Orders already in generation or delivered keep the inputs they were generated from. Each order that
    changes gets its chart recomputed and a `client_inputs_updated` event. Returns how many orders changed.
    Safe to call again at any time.
    """
    values = {field: inputs[field] for field in INTAKE_FIELDS if inputs.get(field)}
    if not values:
        return 0
    if inputs.get("birth_date"):
        values["birth_time"] = inputs.get("birth_time") or ""  # "" is "unknown": the time goes with its date
    count = 0
    with transaction.atomic():
        # The row locks make this wait for (or be excluded by) an expert starting generation right now.
        orders = list(
            Order.objects.for_client(client)
            .filter(status=OrderStatus.PAID)
            .select_for_update()
            .only("pk", "status", "client", "expert", "client_name", "chart", *INTAKE_FIELDS)
        )
        for order in orders:
            updates = values if overwrite else _missing_inputs(order, values)
            updates = {field: value for field, value in updates.items() if (getattr(order, field) or "") != value}
            if not updates:
                continue
            for field, value in updates.items():
                setattr(order, field, value)
            order_chart_apply(order)  # the intake changed: so does the chart
            order.save(update_fields=[*updates, "chart", "updated_at"])
            record_event(
                order,
                from_status=order.status,
                action="client_inputs_updated",
                actor=actor or client,
                note=CLIENT_INPUTS_NOTE,
            )
            count += 1
    return count


def order_staff_update(*, order_id, values: Mapping) -> Order:
    """Staff correct an order's editable fields in the admin (the client's details, the expert's notes...):
    under the row lock, the chart recomputed when the intake changed. Status and money never move here."""
    with transaction.atomic():
        order = lock(order_id)
        for name, value in values.items():
            setattr(order, name, value)
        fields = list(values)
        if set(fields) & {*INTAKE_FIELDS, "client_name"} and "chart" not in fields:
            order_chart_apply(order)
            fields.append("chart")
        order.save(update_fields=[*fields, "updated_at"])
        changed(order)
    return order
