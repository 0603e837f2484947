"""What `make bench` measures: the endpoints, and the subjects (accounts, orders) each one is run for.

Runs inside bench/run.py after django.setup() with the bench settings (production-like, bench database).
The subjects are the ones the seed created by name (bench/subjects.py), or picked by queries that do not
depend on how many orders there are: the same scenarios run at 10k orders and at 1M.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from bench.endpoint import Context, Endpoint, Variant
from bench.subjects import ADMIN_EXPERT, DESK_EXPERT, HEAVY_CLIENT, LIGHT_CLIENT, model_named
from bench.webhooks import Webhooks
from orders.models import Order, OrderStatus

__all__ = ["Context", "endpoints"]


def session_cookie(user, backend: str, page: str) -> str:
    """A signed-in session (stored where the app stores sessions) and the CSRF cookie a browser gets from
    `page` and sends back from then on, as a Cookie header."""
    client = Client()
    client.force_login(user, backend=backend)
    if client.get(page).status_code != 200:
        raise RuntimeError(f"{page} refused {user}")
    return "; ".join(
        f"{name}={client.cookies[name].value}" for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
    )


def jwt_header(user) -> str:
    from rest_framework_simplejwt.tokens import AccessToken

    token = AccessToken.for_user(user)
    token.set_exp(lifetime=timedelta(hours=1))  # outlives the whole bench run
    return f"Bearer {token}"


def late_page(path: str, headers: dict[str, str], size: int) -> int:
    """A page well into the list and still in it, whatever the number of orders (page 20 when there is one)."""
    total = Client().get(path, headers=headers).json()["count"]
    return max(1, min(20, -(-total // size)))


def endpoints(context: Context) -> list[Endpoint]:
    from experts.api.views import QueuePagination
    from experts.auth import DESK_SESSION_BACKEND  # the sessions the desk login opens

    User, Expert = get_user_model(), model_named("Expert")
    sample = Order.objects.filter(status=OrderStatus.COMPLETED).values_list("pk", flat=True).first()
    expert = Expert.objects.select_related("user").get(user__email=DESK_EXPERT)
    admin = Expert.objects.select_related("user").get(user__email=ADMIN_EXPERT)  # sees every desk order
    client, light_client = User.objects.get(email=HEAVY_CLIENT), User.objects.get(email=LIGHT_CLIENT)
    bearer = {"Authorization": jwt_header(expert.user)}
    admin_bearer = {"Authorization": jwt_header(admin.user)}
    magic_link = "sanctuaire.backends.ClientMagicLinkBackend"
    desk_cookie = {"Cookie": session_cookie(expert.user, DESK_SESSION_BACKEND, "/desk/")}
    admin_cookie = {"Cookie": session_cookie(admin.user, DESK_SESSION_BACKEND, "/desk/")}
    client_cookie = {"Cookie": session_cookie(client, magic_link, "/sanctuaire/")}
    light_cookie = {"Cookie": session_cookie(light_client, magic_link, "/sanctuaire/")}
    status_order = Order.objects.filter(status=OrderStatus.PAID).values_list("pk", flat=True).first()
    read = {"min_ratio": 0.5, "max_p99_ratio": 4.0, "max_queries": 6}
    webhooks = Webhooks(context)
    api_page = late_page("/api/expert/orders", bearer, QueuePagination.page_size)
    desk_page = late_page("/api/expert/orders", bearer, settings.EXPERT_DESK_PAGE_SIZE)
    heavy_orders = Order.objects.filter(client=client).count()
    return [
        Endpoint("ceiling", f"/bench/ceiling/{sample}", key="ceiling", note="one primary-key lookup, JSON"),
        Endpoint("landing page", "/", key="landing"),
        webhooks.endpoint_spec(),
        Endpoint(
            "expert queue API", "/api/expert/orders", key="queue-api", headers=bearer, **read,
            variants=[Variant("page size 100", page_size=100),
                      Variant(f"page {api_page}", path=f"/api/expert/orders?page={api_page}"),
                      Variant("admin (all orders)", headers=admin_bearer),
                      Variant("admin, every status", path="/api/expert/orders?status=all", headers=admin_bearer)],
        ),
        Endpoint(
            "desk queue page", "/desk/", key="desk", headers=desk_cookie, **read,
            variants=[Variant("page size 100", page_size=100), Variant(f"page {desk_page}", path=f"/desk/?page={desk_page}"),
                      Variant("admin (all orders)", headers=admin_cookie),
                      Variant("admin, every status", path="/desk/?status=all", headers=admin_cookie)],
        ),
        Endpoint(
            "validation queue API", "/api/expert/orders/validation-queue", key="validation-api", headers=bearer, **read,
            variants=[Variant("page size 100", page_size=100),
                      Variant("admin (all orders)", headers=admin_bearer)],
        ),
        Endpoint(
            f"Sanctuaire dashboard ({heavy_orders} orders)", "/sanctuaire/", key="dashboard", headers=client_cookie,
            **read, variants=[Variant("a client with 1 order", headers=light_cookie)],
        ),
        Endpoint(
            "order status API", f"/api/payments/order/{status_order}", key="status-api", **read,
            variants=[Variant("a pending order", path=f"/api/payments/order/{webhooks.pool[-1]['id']}")],
        ),
    ]
