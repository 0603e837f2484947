"""Sanctuaire test helpers: delivered readings, complete profiles, photos in a temporary private folder."""

import datetime
import io

import pytest
from django.core.cache import cache
from PIL import Image

from orders import services
from sanctuaire.models import ClientProfile
from tests.factories import ExpertFactory, paid_order

# One recognisable marker per section, to check what each level shows and hides.
CONTENT = {
    "archetype": "La Prêtresse",
    "reading": "MARK-READING Une période d'écoute intérieure s'ouvre à vous, œuvre du cœur — patience…",
    "ritual": "MARK-RITUAL Allumez une bougie blanche chaque soir.",
    "mandalaSvg": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        '<circle cx="50" cy="50" r="46" fill="#ede7f6" stroke="#7b2cbf" stroke-width="2"/>'
        '<circle cx="50" cy="30" r="18" fill="none" stroke="#7b2cbf"/>'
        '<circle cx="50" cy="70" r="18" fill="none" stroke="#7b2cbf"/>'
        '<circle cx="30" cy="50" r="18" fill="none" stroke="#5a189a"/>'
        '<circle cx="70" cy="50" r="18" fill="none" stroke="#5a189a"/>'
        '<circle cx="50" cy="50" r="8" fill="#7b2cbf"/></svg>'
    ),
    "synthesis": "MARK-SYNTHESIS Confiance et patience.",
    "guidance": "MARK-GUIDANCE Semaine 1 : observer. Semaine 2 : choisir.",
}
MARKS = {
    "reading": "MARK-READING",
    "ritual": "MARK-RITUAL",
    "synthesis": "MARK-SYNTHESIS",
    "guidance": "MARK-GUIDANCE",
}


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


def complete_profile(user, **overrides) -> ClientProfile:
    values = {
        "birth_date": datetime.date(1990, 4, 12),
        "birth_time": "08:30",
        "birth_place": "Lyon, France",
        "question": "Quelle direction pour ma carrière ?",
        "objective": "Retrouver confiance.",
        **overrides,
    }
    return ClientProfile.objects.create(user=user, **values)


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (123, 44, 191)).save(buffer, format=fmt)
    return buffer.getvalue()
