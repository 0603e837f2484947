"""The Sanctuaire dashboard, cached as a whole page per client (orders, readings, what the level unlocks):
rebuilt once one of the client's orders or their profile has changed (one generation per client, retired on
commit: see lumira/view_cache.py). The profile counts because the page is only built for a complete one."""

from django.db.models.signals import post_delete, post_save

from accounts.models import ClientProfile
from lumira.view_cache import retire
from orders.models import Order
from orders.signals import order_changed


def client_generation(user_id) -> str:
    return f"client:{user_id}"


def _client_order_changed(sender, *, client_id=None, **kwargs) -> None:
    if client_id is not None:
        retire(client_generation(client_id))


def _client_order_saved(sender, instance: Order, **kwargs) -> None:
    if instance.client_id is not None:
        retire(client_generation(instance.client_id))


def _client_profile_changed(sender, instance: ClientProfile, **kwargs) -> None:
    retire(client_generation(instance.user_id))


def connect() -> None:
    order_changed.connect(_client_order_changed, dispatch_uid="sanctuaire-dashboard-cache-order-changed")
    post_save.connect(_client_order_saved, sender=Order, dispatch_uid="sanctuaire-dashboard-cache-save")
    post_delete.connect(_client_order_saved, sender=Order, dispatch_uid="sanctuaire-dashboard-cache-delete")
    post_save.connect(_client_profile_changed, sender=ClientProfile, dispatch_uid="sanctuaire-dashboard-profile-save")
    post_delete.connect(_client_profile_changed, sender=ClientProfile, dispatch_uid="sanctuaire-dashboard-profile-delete")
