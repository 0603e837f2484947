"""The Sanctuaire dashboard, cached as a whole page per client (orders, readings, what the level unlocks):
rebuilt once one of the client's orders or their profile has changed (one generation per client, retired on
commit: see lumira/view_cache.py). The profile counts because the page is only built for a complete one."""


from accounts.models import ClientProfile
from lumira.view_cache import on_save_and_delete, retire
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
    on_save_and_delete(_client_order_saved, Order, "sanctuaire-dashboard-cache")
    on_save_and_delete(_client_profile_changed, ClientProfile, "sanctuaire-dashboard-profile")
