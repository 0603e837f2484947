"""Sanctuaire test helpers: delivered readings, complete profiles, photos in a temporary private folder."""

import copy
import datetime
import io

import pytest
from django.core.cache import cache
from PIL import Image

from accounts.models import ClientProfile
from accounts.sessions import new_account_order_remember, paid_order_remember
from orders import services
from tests.content import MARKS as MARKS_BY_PART
from tests.content import reading_content
from tests.factories import ExpertFactory, paid_order

# Level-4 content (engine/schema.py shape) with one recognisable marker per part; each level shows its share.
CONTENT = reading_content(4)
MARKS = {key: MARKS_BY_PART[key] for key in ("reading", "ritual", "synthesis", "guidance")}

# The profile form filled in completely and validly (what complete_profile stores).
PROFILE_FORM = {
    "birth_date": "1990-04-12",
    "birth_time": "08:30",
    "birth_place": "Lyon, France",
    "question": "Quelle direction pour ma carrière ?",
    "objective": "Retrouver confiance.",
}


def content_with_intro(intro: str, base: dict | None = None) -> dict:
    """The test content with another reading intro (to tell versions apart, or to carry hostile text)."""
    content = copy.deepcopy(base or CONTENT)
    content["reading"]["intro"] = intro
    return content


@pytest.fixture(autouse=True)
def _fresh_rate_limits_and_private_media(settings, tmp_path):
    cache.clear()  # rate-limit counters live in the (locmem) cache
    settings.MEDIA_ROOT = tmp_path / "private"
    yield
    cache.clear()


def processing_order(*, client, level: int = 2, expert=None):
    order = paid_order(client=client, level=level)
    expert = expert or ExpertFactory()
    return services.order_start_generation(order_id=order.pk, expert=expert, prompt="Lecture.").order


def awaiting_order(*, client, level: int = 2, expert=None, content: dict | None = None):
    order = processing_order(client=client, level=level, expert=expert)
    return services.order_receive_content(
        order_id=order.pk, attempt_id=order.generation_attempt_id, content=content or CONTENT
    ).order


def completed_order(*, client, level: int = 2, expert=None, content: dict | None = None):
    """A delivered reading, walked through the real order services."""
    order = awaiting_order(client=client, level=level, expert=expert, content=content)
    return services.order_approve(order_id=order.pk, expert=order.expert, notes="Belle lecture.").order


def checkout_in_this_browser(client, order, *, created_account: bool = True) -> None:
    """What create-payment-intent leaves in the paying browser's session: the order, and (when the checkout
    created the client's account) the right to enter that account once paid."""
    session = client.session
    paid_order_remember(session, order.pk)
    if created_account:
        new_account_order_remember(session, order.pk)
    session.save()


def complete_profile(user, **overrides) -> ClientProfile:
    values = {**PROFILE_FORM, "birth_date": datetime.date.fromisoformat(PROFILE_FORM["birth_date"]), **overrides}
    return ClientProfile.objects.create(user=user, **values)


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (123, 44, 191)).save(buffer, format=fmt)
    return buffer.getvalue()
