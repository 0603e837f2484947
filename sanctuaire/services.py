"""Sanctuaire writes: the client profile (copied onto orders by `orders.services`), magic links, the audio."""

import logging
from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, login
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from sesame import settings as sesame_settings
from sesame.utils import get_token

from accounts.models import ClientProfile, PhotoKind
from lumira.emails import email_send
from orders.intake import INTAKE_FIELDS
from orders.levels import SECTIONS_BY_KEY
from orders.models import INTAKE_LABELS, Order, OrderStatus
from orders.services import order_audio_attach, order_intake_reminder_claim, orders_client_inputs_apply

from .audio import audio_delete, audio_store, audio_synthesize
from .deliverables import audio_script
from .photos import photo_delete, photo_store

logger = logging.getLogger(__name__)

AUDIO_MIN_LEVEL = SECTIONS_BY_KEY["audio"].level  # the audio part comes with level 2 (SPEC §1)
# The profile's fields that are also the order's generation inputs (same names on both models).
ORDER_INPUT_FIELDS = INTAKE_FIELDS


def profile_update(
    *,
    user,
    data: dict,
    photos: dict[str, ContentFile] | None = None,
    remove_photos: Iterable[str] = (),
) -> ClientProfile:
    """Save the client's profile (only the fields in `data`), replace or remove photos, and copy the
    inputs onto the orders waiting for generation, all in one transaction.

    New photos are written before the transaction (files are not transactional) and deleted again if it
    fails; replaced photos are deleted only once it has committed.
    """
    photos = photos or {}
    new_names = {kind: photo_store(content) for kind, content in photos.items()}
    try:
        with transaction.atomic():
            profile, _ = ClientProfile.objects.select_for_update().get_or_create(user=user)
            for field in ORDER_INPUT_FIELDS:
                if field in data:
                    setattr(profile, field, data[field])
            replaced = []
            for kind in PhotoKind.values:
                if kind in new_names or kind in remove_photos:
                    replaced.append(profile.photo_name(kind))
                    setattr(profile, f"{kind}_photo", new_names.get(kind, ""))
            profile.save()
            profile_apply_to_orders(user=user, profile=profile, overwrite=True)
            transaction.on_commit(lambda: [photo_delete(name) for name in replaced if name])
    except BaseException:
        for name in new_names.values():
            photo_delete(name)
        raise
    return profile


def profile_apply_to_orders(*, user, profile: ClientProfile | None = None, overwrite: bool = False) -> int:
    """Copy the profile's inputs onto the client's orders that are paid and not yet sent to generation
    (`orders.services.orders_client_inputs_apply`: with `overwrite` the profile wins, otherwise it only fills
    what an order lacks). Returns how many orders changed. Safe to call again at any time."""
    profile = profile or ClientProfile.objects.filter(user=user).first()
    if profile is None:
        return 0
    inputs = {field: getattr(profile, field) for field in ORDER_INPUT_FIELDS}
    return orders_client_inputs_apply(client=user, inputs=inputs, overwrite=overwrite, actor=user)


def intake_reminder_schedule(*, order_id) -> bool:
    """A paid order waits for its intake: email the client once, after commit, with a link to the profile."""
    from .tasks import intake_reminder_email_send

    if not order_intake_reminder_claim(order_id=order_id):
        return False
    transaction.on_commit(lambda: intake_reminder_email_send.delay(str(order_id)), robust=True)
    return True


def intake_reminder_send(*, order_id) -> None:
    order = Order.objects.only("number", "client_name", "client_email", "birth_date", "question").get(pk=order_id)
    if not order.intake_missing:
        return  # completed since: nothing to remind
    context = {
        "order": order,
        "missing": [str(INTAKE_LABELS[name]) for name in order.intake_missing],
        "url": f"{settings.SITE_URL}{reverse('sanctuaire:profile')}",
    }
    subject = gettext("Lumira — complete your profile for order %(number)s") % {"number": order.number}
    email_send(
        subject=subject, template="emails/sanctuaire_intake_reminder_body", context=context, to=order.client_email
    )
    logger.info("intake reminder sent", extra={"order": order.number})


def magic_link_request(*, email: str) -> None:
    """Email a sign-in link when a client account has this address; do nothing visible otherwise.

    The email leaves from a Celery task after commit, so that the answer takes the same time whether the
    account exists or not (no enumeration by timing either).
    """
    from .tasks import magic_link_email_send

    User = get_user_model()
    email = User.objects.normalize_email(email).strip().lower()
    user_id = User.objects.with_email(email).filter(is_active=True, is_staff=False).values_list("pk", flat=True).first()
    if user_id is None:
        logger.info("magic link requested for an unknown address")
        return
    transaction.on_commit(lambda: magic_link_email_send.delay(user_id))


def magic_link_consume(*, token: str, request=None):
    """The client a one-time link belongs to, spending the link; None when it is invalid, expired or used.

    With a request, the browser is signed in too. The user row is locked and the token checked again under
    the lock, so two requests racing with the same link cannot both get in.
    """
    user = authenticate(request, sesame=token) if token else None
    if user is None:
        return None
    User = get_user_model()
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
        user = authenticate(request, sesame=token)  # re-read: a racing sign-in has committed by now
        if user is None:
            return None
        if request is not None:
            login(request, user)  # updates last_login, which revokes the link
        else:
            user.last_login = timezone.now()
            user.save(update_fields=["last_login"])
    profile_apply_to_orders(user=user)
    return user


def magic_link_url(user) -> str:
    query = urlencode({sesame_settings.TOKEN_NAME: get_token(user)})
    return f"{settings.SITE_URL}{reverse('sanctuaire:magic_link')}?{query}"


def magic_link_send(*, user_id: int) -> bool:
    """Build a fresh one-time link and email it. Returns False when the account can no longer sign in."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True, is_staff=False).first()
    if user is None:
        return False
    context = {
        "user": user,
        "url": magic_link_url(user),
        "minutes": int(settings.SESAME_MAX_AGE // 60),
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string("emails/sanctuaire_magic_link_subject.txt", context).strip()
    email_send(subject=subject, template="emails/sanctuaire_magic_link_body", context=context, to=user.email)
    logger.info("magic link sent", extra={"user_id": user.pk})
    return True


def reading_audio_render(*, order_id) -> str:
    """Speak a delivered reading (level ≥ 2) into an audio file and attach it to the order.

    Returns "rendered", or "skipped" when there is nothing to do (unknown, not delivered, level 1, already
    rendered). Raises audio errors for the task to retry. A file made twice by concurrent tasks is kept once.
    """
    order = Order.objects.filter(pk=order_id, status=OrderStatus.COMPLETED).only(
        "id", "level", "status", "audio_name", "generated_content"
    ).first()
    if order is None or order.level < AUDIO_MIN_LEVEL or order.audio_name:
        return "skipped"
    data, extension = audio_synthesize(audio_script(order.generated_content))
    name = audio_store(data, extension)
    try:
        attached = order_audio_attach(order_id=order.pk, name=name).changed
    except Exception:
        audio_delete(name)
        raise
    if not attached:
        audio_delete(name)
        return "skipped"
    logger.info("reading audio rendered", extra={"order_id": str(order.pk), "bytes": len(data)})
    return "rendered"


def reading_audio_schedule(*, order) -> None:
    """After the delivery commits, render the audio of a reading whose level has it (level ≥ 2)."""
    if order.level < AUDIO_MIN_LEVEL:
        return
    from .tasks import reading_audio

    order_id = str(order.pk)
    transaction.on_commit(lambda: reading_audio.delay(order_id), robust=True)
