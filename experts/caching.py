"""The desk's cached reads: queue pages and the queue APIs, rebuilt once an order or an expert has changed.

Any committed write of an order (or of its events and versions) retires them all, through one "desk"
generation (lumira/view_cache.py explains why that is never stale): a queue shows orders of many states and
experts, and a write (payment, take, generation, validation, admin edit) may move an order into or out of any
of them. So does a change of an expert (their name is shown) or of an AI run (the stats show their cost).
Entries are per expert (their role decides what they see) and per URL.
"""

from django.http import HttpRequest
from django.utils.translation import get_language

from accounts.models import Expert
from lumira.view_cache import on_save_and_delete, retire
from orders.models import Order
from orders.signals import order_changed

from .models import AIRun

DESK_GENERATION = "desk"


def request_parts(request: HttpRequest, page_size: int) -> tuple:
    """What a desk page or API answer depends on besides the data: who asks, in which role, for which URL."""
    expert = request.expert
    return (
        expert.pk,
        expert.role,
        expert.name,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        get_language(),
        page_size,
    )


def _desk_changed(sender, **kwargs) -> None:
    retire(DESK_GENERATION)  # on commit


def connect() -> None:
    # orders.services sends order_changed on commit for every order write, `.update()` ones included; the
    # post_save receiver on Order also covers saves made elsewhere (admin, shell, data migrations).
    order_changed.connect(_desk_changed, dispatch_uid="experts-desk-cache-order-changed")
    for model in (Order, Expert, AIRun):
        on_save_and_delete(_desk_changed, model, f"experts-desk-cache-{model.__name__}")
