"""A client's rights over their personal data: a copy of everything (export) and erasure.

Export: one ZIP with `donnees.json` (decrypted: it is the client's own data) and the files (photos, and
any other file an order holds). Erasure: the profile and its photos deleted, the account anonymised and
closed, each order emptied of everything but what accounting keeps (`orders.services.order_erase_personal_data`).
Both leave a `DataRequest` audit row; erasure also an `OrderEvent` per order.
"""

import io
import json
import uuid
import zipfile
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ClientProfile, PhotoKind
from orders.models import Order, OrderStatus
from orders.services import ERASURE_BLOCKING_STATUSES, OrderServiceError, order_erase_personal_data

from .audio import audio_delete
from .models import DataRequest, DataRequestKind
from .photos import photo_delete, photo_open

MANIFEST_NAME = "donnees.json"
ERASED_EMAIL_DOMAIN = "efface.invalid"  # reserved TLD: never deliverable


class ErasureRefused(OrderServiceError):
    code = "erasure_refused"


@dataclass(frozen=True)
class Export:
    filename: str
    data: bytes


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _order_record(order: Order) -> dict:
    delivered = order.status == OrderStatus.COMPLETED
    return {
        "number": order.number, "status": order.status, "statusLabel": order.get_status_display(),
        "level": order.level_name, "service": order.get_service_display(), "durationMinutes": order.duration,
        "amountCents": order.amount, "currency": order.currency,
        "createdAt": _iso(order.created_at), "paidAt": _iso(order.paid_at), "deliveredAt": _iso(order.delivered_at),
        "refundedAt": _iso(order.refunded_at),
        "clientName": order.client_name, "clientEmail": order.client_email, "clientPhone": order.client_phone or "",
        "birthDate": _iso(order.birth_date), "birthTime": order.birth_time or "", "birthPlace": order.birth_place or "",
        "question": order.question or "", "objective": order.objective or "",
        "chart": order.chart,
        # Only what was delivered: drafts awaiting the expert's validation are not the client's reading yet.
        "reading": order.generated_content if delivered else None,
        # What happened to the order and when; the experts' internal notes are not part of it.
        "events": [
            {"at": _iso(event.created_at), "action": event.action, "fromStatus": event.from_status,
             "toStatus": event.to_status}
            for event in order.events.all()
        ],
    }


def _order_files(order: Order) -> list[tuple[str, str]]:
    """(name in the ZIP, storage name) of the files an order holds for its client: the reading's audio."""
    if not order.audio_name:
        return []
    extension = order.audio_name.rpartition(".")[2] or "ogg"
    return [(f"lectures/{order.number}-audio.{extension}", order.audio_name)]


def client_data_export(*, user) -> Export:
    """Everything Lumira holds about the client, as a ZIP, and an audit row."""
    profile = ClientProfile.objects.filter(user=user).first()
    orders = list(Order.objects.for_client(user).prefetch_related("events").order_by("created_at"))
    files: list[tuple[str, str]] = []
    profile_record = None
    if profile is not None:
        photos = {}
        for kind in PhotoKind.values:
            name = profile.photo_name(kind)
            if name:
                arcname = f"photos/{kind}.{name.rsplit('.', 1)[-1]}"
                photos[kind] = arcname
                files.append((arcname, name))
        profile_record = {
            "birthDate": _iso(profile.birth_date), "birthTime": profile.birth_time or "",
            "birthPlace": profile.birth_place or "", "question": profile.question or "",
            "objective": profile.objective or "", "photos": photos,
            "createdAt": _iso(profile.created_at), "updatedAt": _iso(profile.updated_at),
        }
    for order in orders:
        files += _order_files(order)
    manifest = {
        "format": "lumira-export-1",
        "generatedAt": _iso(timezone.now()),
        "account": {
            "email": user.email, "firstName": user.first_name, "lastName": user.last_name,
            "joinedAt": _iso(user.date_joined), "lastLoginAt": _iso(user.last_login),
        },
        "profile": profile_record,
        "orders": [_order_record(order) for order in orders],
        "files": [arcname for arcname, _ in files],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=2, default=str))
        for arcname, name in files:
            try:
                with photo_open(name) as handle:  # photos and audio share the private storage
                    archive.writestr(arcname, handle.read())
            except FileNotFoundError:
                continue  # listed in the manifest, lost from storage: the rest of the export still matters
    DataRequest.objects.create(user=user, kind=DataRequestKind.EXPORT, orders_count=len(orders), files_count=len(files))
    return Export(filename=f"lumira-mes-donnees-{timezone.localdate():%Y-%m-%d}.zip", data=buffer.getvalue())


def client_erase(*, user) -> DataRequest:
    """Erase the client's personal data, in one transaction with the account and orders locked.

    Refused (ErasureRefused) while an order is paid but not delivered: the reading the client paid for
    would be lost and the expert left with an order they cannot finish. The photos are deleted from storage
    once the transaction has committed (files are not transactional).
    """
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        orders = list(Order.objects.for_client(user).select_for_update().only("pk", "number", "status", "audio_name"))
        audio = [order.audio_name for order in orders if order.audio_name]
        waiting = [order for order in orders if order.status in ERASURE_BLOCKING_STATUSES]
        if waiting:
            numbers = ", ".join(order.number for order in waiting)
            raise ErasureRefused(
                _("Your order %(numbers)s is not delivered yet: your account can be erased once the reading is "
                  "delivered. To cancel it and be refunded, write to us.") % {"numbers": numbers}
            )
        for order in orders:
            order_erase_personal_data(order_id=order.pk, actor=user)
        profile = ClientProfile.objects.select_for_update().filter(user=user).first()
        photos = [profile.photo_name(kind) for kind in PhotoKind.values] if profile else []
        if profile is not None:
            profile.delete()
        user.email = f"client-{uuid.uuid4().hex}@{ERASED_EMAIL_DOMAIN}"
        user.first_name = user.last_name = ""
        user.is_active = False
        # A new password hash changes the session auth hash: every session of the account ends at its next
        # request, and one-time links already sent stop working too (django-sesame checks the hash).
        user.set_unusable_password()
        user.save()
        request = DataRequest.objects.create(
            user=user, kind=DataRequestKind.ERASURE, orders_count=len(orders), files_count=len([p for p in photos if p])
        )
        transaction.on_commit(lambda: [photo_delete(name) for name in photos if name])
        transaction.on_commit(lambda: [audio_delete(name) for name in audio])
    return request
