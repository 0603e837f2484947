"""The Sanctuaire dashboard, cached as a whole page per client (orders, readings, what the level unlocks):
rebuilt only after one of the client's orders or their profile changed (one generation per client, see
lumira/view_cache.py). The profile counts because the page is only built for a complete one."""

from django.db.models.signals import post_delete, post_save

from accounts.models import ClientProfile
from lumira.view_cache import generation_bump
from orders.models import Order


def client_generation(user_id) -> str:
    return f"client:{user_id}"


def _client_orders_changed(sender, instance: Order, **kwargs) -> None:
    generation_bump(client_generation(instance.client_id))


def _client_profile_changed(sender, instance: ClientProfile, **kwargs) -> None:
    generation_bump(client_generation(instance.user_id))


def connect() -> None:
    post_save.connect(_client_orders_changed, sender=Order, dispatch_uid="sanctuaire-dashboard-cache-save")
    post_delete.connect(_client_orders_changed, sender=Order, dispatch_uid="sanctuaire-dashboard-cache-delete")
    post_save.connect(_client_profile_changed, sender=ClientProfile, dispatch_uid="sanctuaire-dashboard-profile-save")
    post_delete.connect(_client_profile_changed, sender=ClientProfile, dispatch_uid="sanctuaire-dashboard-profile-delete")
