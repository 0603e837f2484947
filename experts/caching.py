"""The desk's cached reads: queue pages and the queue APIs, rebuilt only after an order or an expert changed.

Every order save retires them all (one "desk" generation, see lumira/view_cache.py): a queue shows orders
of many states and experts, and a save (payment, take, generation, validation, admin edit) may move an
order into or out of any of them. Entries are per expert (their role decides what they see) and per URL.
"""

from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils.translation import get_language

from accounts.models import Expert
from lumira.view_cache import generation_bump
from orders.models import Order

DESK_GENERATION = "desk"


def request_parts(request: HttpRequest, page_size: int) -> tuple:
    """What a desk page or API answer depends on besides the data: who asks, in which role, for which URL."""
    expert = request.expert
    return (expert.pk, expert.role, expert.name, request.scheme, request.get_host(), request.get_full_path(),
            get_language(), page_size)


def _desk_changed(sender, **kwargs) -> None:
    generation_bump(DESK_GENERATION)


def connect() -> None:
    for model in (Order, Expert):
        post_save.connect(_desk_changed, sender=model, dispatch_uid=f"experts-desk-cache-{model.__name__}-save")
        post_delete.connect(_desk_changed, sender=model, dispatch_uid=f"experts-desk-cache-{model.__name__}-delete")
