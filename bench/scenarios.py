"""What `make bench` measures: the endpoints, the fixtures they need, and how queries are counted.

Runs inside bench/run.py after django.setup() with the bench settings (production-like, bench database).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from orders.models import Order, OrderEvent, OrderStatus

ROOT = Path(__file__).resolve().parent.parent
STORED_EVENT = ROOT / "tests" / "payments" / "events" / "payment_intent.succeeded.json"
DASHBOARD_CLIENT = "bench-client-0@example.com"
DESK_EXPERT = "bench-expert-7@lumira.local"  # any seeded expert: a plain expert (not admin) sees own + unassigned
WEBHOOK_WARMUP_ORDERS = 1500


@dataclass
class Variant:
    """The same request in another shape (bigger page, later page, more orders): its query count must not grow."""

    label: str
    path: str | None = None
    headers: dict[str, str] | None = None
    page_size: int | None = None


@dataclass
class Endpoint:
    name: str
    path: str
    key: str = ""  # for --only
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    lua: str | None = None  # a wrk script, for requests that differ from one to the next
    note: str = ""
    # Targets (issue 7): requests/s ÷ ceiling at least, p99 ÷ ceiling's p99 at most, queries at most.
    min_ratio: float | None = None
    max_p99_ratio: float | None = None
    max_queries: int | None = None
    variants: list[Variant] = field(default_factory=list)
    # Hooks for endpoints whose requests are used up (webhooks: one per order).
    count: Callable[[], int] | None = None  # in-process query count instead of replaying `path`
    prepare: Callable[[str], None] | None = None  # before the "warmup" and the "measure" wrk runs
    verify: Callable[[], str] | None = None  # after the measure: a note for the table (raises on failure)
    max_requests: Callable[[], int] | None = None  # the measure may not send more (run.py shortens it)
    queries_note: str = ""


@dataclass
class Context:
    workdir: Path
    env: dict
    threads: int = 2
    stripe_base: str = ""


# --- helpers -----------------------------------------------------------------------------------------


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


@contextlib.contextmanager
def page_size(size: int | None) -> Iterator[None]:
    """Desk and API page sizes set to `size` for an in-process request."""
    if size is None:
        yield
        return
    from experts.api.views import QueuePagination

    previous = QueuePagination.page_size
    QueuePagination.page_size = size
    try:
        with override_settings(EXPERT_DESK_PAGE_SIZE=size):
            yield
    finally:
        QueuePagination.page_size = previous


def _count(method: str, path: str, headers: dict[str, str], size: int | None = None, *, cache: bool = False) -> int:
    """Queries of one request; with `cache`, of a second identical request (served from the view cache)."""
    client = Client()
    with page_size(size), override_settings(VIEW_CACHE_SECONDS=settings.VIEW_CACHE_SECONDS if cache else 0):
        if cache:
            client.generic(method, path, headers=headers)
        with CaptureQueriesContext(connection) as queries:
            response = client.generic(method, path, headers=headers)
    if response.status_code >= 400 or response.status_code in (301, 302):
        raise RuntimeError(f"{path}: {response.status_code} {response.content[:300]!r}")
    return len(queries)


def count_queries(endpoint: Endpoint) -> tuple[int, str]:
    """SQL queries for one request, counted in-process with the same settings and database, with the view
    cache off (every query the page needs); whether that count stays the same for the endpoint's variants
    (bigger pages, later pages, more orders); and the queries left when the cache serves it."""
    if endpoint.count is not None:
        return endpoint.count(), endpoint.queries_note
    cold = _count(endpoint.method, endpoint.path, endpoint.headers)
    seen = []
    for variant in endpoint.variants:
        n = _count(endpoint.method, variant.path or endpoint.path, variant.headers or endpoint.headers, variant.page_size)
        seen.append(f"{variant.label}: {n}" if n != cold else variant.label)
        if n != cold:
            endpoint.queries_note = "QUERIES GROW"
    notes = []
    if seen:
        notes.append(("queries differ — " if endpoint.queries_note else "same queries with ") + ", ".join(seen))
    warm = _count(endpoint.method, endpoint.path, endpoint.headers, cache=True)
    if warm != cold:
        notes.append(f"{warm} when served from the view cache")
    return cold, "; ".join(notes)


def target_verdict(endpoint: Endpoint, result) -> str:
    """"ok", or "MISS" and what was missed, against the endpoint's targets ("" when it has none)."""
    missed = []
    if endpoint.min_ratio is not None and result.ratio_to_ceiling < endpoint.min_ratio:
        missed.append(f"req/s < {endpoint.min_ratio:.0%}")
    if endpoint.max_p99_ratio is not None and result.p99_to_ceiling > endpoint.max_p99_ratio:
        missed.append(f"p99 > {endpoint.max_p99_ratio:g}x")
    if endpoint.max_queries is not None and (result.queries or 0) > endpoint.max_queries:
        missed.append(f"queries > {endpoint.max_queries}")
    if endpoint.queries_note == "QUERIES GROW":
        missed.append("queries grow")
    if result.non_2xx:
        missed.append("errors")
    if missed:
        return "MISS: " + ", ".join(missed)
    has_target = endpoint.min_ratio is not None or endpoint.max_queries is not None
    return "ok" if has_target else ""


# --- side services -----------------------------------------------------------------------------------


def stripe_retrievals(context: Context) -> int:
    import requests

    return requests.get(f"{context.stripe_base}/_bench/stats", timeout=5).json()["payment_intent_retrievals"]


# --- webhooks ----------------------------------------------------------------------------------------

WRK_WEBHOOKS_LUA = """
-- Each wrk thread sends its own list of signed webhooks, each once (written by bench/scenarios.py).
local threads, counter = {}, 0
function setup(thread)
  thread:set("tid", counter)
  table.insert(threads, thread)
  counter = counter + 1
end
-- Globals, not locals: done() reads `sent` and `overflow` from each thread with thread:get().
reqs, sent, overflow = {}, 0, 0
-- Before the run, wrk calls request() once on its first thread to check the script: answer that call
-- without using up an order (it is never sent).
checked = false
function init(args)
  for line in io.lines(string.format("%(pattern)s", tid)) do
    local signature, body = line:match("^([^\\t]*)\\t(.*)$")
    table.insert(reqs, wrk.format("POST", "%(path)s",
      {["Content-Type"] = "application/json", ["Stripe-Signature"] = signature}, body))
  end
end
function request()
  if tid == 0 and not checked then
    checked = true
    return reqs[1]
  end
  if sent < #reqs then
    sent = sent + 1
    return reqs[sent]
  end
  -- Every order has had its webhook: anything more is a GET the view refuses (405), counted as non-2xx.
  overflow = overflow + 1
  return wrk.format("GET", "%(path)s")
end
function done(summary, latency, requests)
  local out = io.open("%(sent)s", "w")
  for _, thread in ipairs(threads) do
    out:write(string.format("%%d %%d %%d\\n", thread:get("tid"), thread:get("sent"), thread:get("overflow")))
  end
  out:close()
end
"""


def _stripe_signature(body: bytes, secret: str) -> str:
    timestamp = int(time.time())
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _event_body(template: dict, order: dict) -> bytes:
    """A real `payment_intent.succeeded` event (stored Stripe payload) for this order: its own event id,
    PaymentIntent id, amount and metadata."""
    event = json.loads(json.dumps(template))
    event["id"] = f"evt_bench_{order['id'].hex}"
    event["created"] = int(time.time())
    event["request"] = {"id": None, "idempotency_key": None}
    intent = event["data"]["object"]
    intent.update({
        "id": order["stripe_payment_intent_id"], "amount": order["amount"], "amount_received": order["amount"],
        "currency": order["currency"], "client_secret": f"{order['stripe_payment_intent_id']}_secret_bench",
        # No Customer/PaymentMethod/Charge objects to sync: the stand-in answers PaymentIntents only.
        "customer": None, "payment_method": None, "latest_charge": None,
        "metadata": {"lumira_order_id": str(order["id"]), "lumira_order_number": order["number"]},
    })
    return json.dumps(event, separators=(",", ":")).encode()


class Webhooks:
    """Signed `payment_intent.succeeded` webhooks, one per pending order, through dj-stripe's endpoint."""

    def __init__(self, context: Context) -> None:
        from payments.webhooks import webhook_endpoint_register

        self.context = context
        # As the payments app does against localstripe (the stand-in answers /_config/webhooks too).
        self.endpoint = webhook_endpoint_register(base_url=settings.SITE_URL).endpoint
        self.path = self.endpoint.url.removeprefix(settings.SITE_URL)
        self.template = json.loads(STORED_EVENT.read_text())
        orders = list(
            Order.objects.filter(status=OrderStatus.PENDING)
            .exclude(client__email=DASHBOARD_CLIENT)  # the dashboard's client stays as seeded
            .order_by("number")
            .values("id", "number", "amount", "currency", "stripe_payment_intent_id")
        )
        if len(orders) < WEBHOOK_WARMUP_ORDERS + 1000:
            raise RuntimeError(f"only {len(orders)} pending orders: reseed the bench database (--fresh)")
        self.sample, self.warmup, self.pool = orders[0], orders[1:WEBHOOK_WARMUP_ORDERS + 1], orders[WEBHOOK_WARMUP_ORDERS + 1:]
        self.targeted: list[dict] = []
        self.retrievals_before = stripe_retrievals(context)
        self.lua = context.workdir / "webhooks.lua"
        self.sent_file = context.workdir / "webhooks-sent.txt"
        self.pattern = str(context.workdir / "webhooks-%d.tsv")
        self.lua.write_text(WRK_WEBHOOKS_LUA % {"pattern": self.pattern, "path": self.path, "sent": self.sent_file})
        self.phase_orders: list[dict] = []

    def endpoint_spec(self) -> Endpoint:
        return Endpoint(
            "webhook payment_intent.succeeded", self.path, key="webhooks", method="POST", lua=str(self.lua),
            min_ratio=0.35, count=self.count, prepare=self.prepare, verify=self.verify,
            max_requests=lambda: len(self.pool),
            queries_note="one signed event for one pending order",
        )

    def count(self) -> int:
        body = _event_body(self.template, self.sample)
        client = Client()
        with CaptureQueriesContext(connection) as queries:
            response = client.post(self.path, data=body, content_type="application/json",
                                   headers={"Stripe-Signature": _stripe_signature(body, self.endpoint.secret)})
        if response.status_code != 200:
            raise RuntimeError(f"webhook: {response.status_code} {response.content[:300]!r}")
        self.targeted.append(self.sample)
        return len(queries)

    def prepare(self, phase: str) -> None:
        """Write each wrk thread's signed requests (signed now: Stripe's 5-minute tolerance)."""
        self._collect_sent()
        self.phase_orders = self.warmup if phase == "warmup" else self.pool
        secret = self.endpoint.secret
        threads = self.context.threads
        for thread in range(threads):
            with open(self.pattern % thread, "w") as out:
                for order in self.phase_orders[thread::threads]:
                    body = _event_body(self.template, order)
                    out.write(f"{_stripe_signature(body, secret)}\t{body.decode()}\n")
        self.sent_file.unlink(missing_ok=True)

    def _collect_sent(self) -> int:
        """The orders whose webhook the last wrk run sent (each thread sends its list in order)."""
        if not self.sent_file.exists():
            return 0
        overflow = 0
        threads = self.context.threads
        for line in self.sent_file.read_text().split("\n"):
            if line.strip():
                thread, sent, extra = map(int, line.split())
                self.targeted.extend(self.phase_orders[thread::threads][:sent])
                overflow += extra
        self.sent_file.unlink()
        return overflow

    def verify(self) -> str:
        overflow = self._collect_sent()
        ids = [order["id"] for order in self.targeted]
        # Wait for the requests still in flight when wrk stopped.
        deadline, last = time.monotonic() + 30, -1
        while time.monotonic() < deadline:
            done = OrderEvent.objects.filter(action="payment_succeeded").count()
            if done == last:
                break
            last = done
            time.sleep(0.5)
        per_order = dict(
            OrderEvent.objects.filter(order_id__in=ids, action="payment_succeeded")
            .values_list("order_id").annotate(n=Count("id")).values_list("order_id", "n")
        )
        paid = Order.objects.filter(pk__in=ids, status=OrderStatus.PAID, paid_at__isnull=False).count()
        once = sum(1 for order_id in ids if per_order.get(order_id) == 1)
        twice = sum(1 for n in per_order.values() if n > 1)
        elsewhere = OrderEvent.objects.filter(action="payment_succeeded").exclude(order_id__in=ids).count()
        retrievals = stripe_retrievals(self.context) - self.retrievals_before
        print(f"[bench] webhooks: {len(ids)} sent (each to a different pending order), {paid} orders now paid, "
              f"{once} with exactly one payment_succeeded event, {twice} with more, {elsewhere} on orders not sent; "
              f"stand-in answered {retrievals} PaymentIntent retrievals")
        if overflow:
            print(f"[bench] webhooks: the pool ran out: {overflow} extra requests answered 405 (see non-2xx)")
        if not (paid == once == len(ids)) or twice or elsewhere:
            from djstripe.models import WebhookEventTrigger

            unpaid = [order for order in self.targeted if per_order.get(order["id"]) != 1]
            for order in unpaid[:5]:
                triggers = WebhookEventTrigger.objects.filter(body__contains=order["id"].hex).count()
                print(f"[bench] webhooks: order {order['number']} not paid once: {triggers} deliveries received")
            raise RuntimeError("webhooks: an order was not paid exactly once")
        return f"{len(ids)} orders, each paid exactly once"


# --- the endpoints -----------------------------------------------------------------------------------


def endpoints(context: Context) -> list[Endpoint]:
    from accounts.models import Expert

    User = get_user_model()
    sample = Order.objects.filter(status=OrderStatus.COMPLETED).values_list("pk", flat=True).first()
    expert = Expert.objects.select_related("user").get(user__email=DESK_EXPERT)
    admin = Expert.objects.select_related("user").exclude(pk=expert.pk).order_by("pk").first()
    client = User.objects.get(email=DASHBOARD_CLIENT)
    light_client = (
        User.objects.filter(email__startswith="bench-client-", client_profile__isnull=False)
        .annotate(n=Count("orders")).filter(n=1).first()
    )
    bearer = {"Authorization": jwt_header(expert.user)}
    # An admin sees every desk order (~75k): the "more orders" variant of the queues.
    Expert.objects.filter(pk=admin.pk).update(role="admin")
    admin_bearer = {"Authorization": jwt_header(admin.user)}
    from experts.auth import DESK_SESSION_BACKEND  # the sessions the desk login opens

    magic_link = "sanctuaire.backends.ClientMagicLinkBackend"
    desk_cookie = {"Cookie": session_cookie(expert.user, DESK_SESSION_BACKEND, "/desk/")}
    admin_cookie = {"Cookie": session_cookie(admin.user, DESK_SESSION_BACKEND, "/desk/")}
    client_cookie = {"Cookie": session_cookie(client, magic_link, "/sanctuaire/")}
    light_cookie = {"Cookie": session_cookie(light_client, magic_link, "/sanctuaire/")}
    status_order = Order.objects.filter(status=OrderStatus.PAID).values_list("pk", flat=True).first()
    read = {"min_ratio": 0.5, "max_p99_ratio": 4.0, "max_queries": 6}
    webhooks = Webhooks(context)
    queue_variants = [
        Variant("page size 100", page_size=100),
        Variant("page 20", path="?page=20"),
        Variant("admin (all orders)", headers=admin_bearer),
    ]
    return [
        Endpoint("ceiling", f"/bench/ceiling/{sample}", key="ceiling", note="one primary-key lookup, JSON"),
        Endpoint("landing page", "/", key="landing"),
        webhooks.endpoint_spec(),
        Endpoint(
            "expert queue API", "/api/expert/orders", key="queue-api", headers=bearer, **read,
            variants=[Variant(v.label, "/api/expert/orders" + (v.path or ""), v.headers, v.page_size)
                      for v in queue_variants],
        ),
        Endpoint(
            "desk queue page", "/desk/", key="desk", headers=desk_cookie, **read,
            variants=[Variant("page size 100", page_size=100), Variant("page 20", path="/desk/?page=20"),
                      Variant("admin (all orders)", headers=admin_cookie)],
        ),
        Endpoint(
            "validation queue API", "/api/expert/orders/validation-queue", key="validation-api", headers=bearer, **read,
            variants=[Variant("page size 100", page_size=100),
                      Variant("admin (all orders)", headers=admin_bearer)],
        ),
        Endpoint(
            "Sanctuaire dashboard (50 orders)", "/sanctuaire/", key="dashboard", headers=client_cookie, **read,
            variants=[Variant("a client with 1 order", headers=light_cookie)],
        ),
        Endpoint(
            "order status API", f"/api/payments/order/{status_order}", key="status-api", **read,
            variants=[Variant("a pending order", path=f"/api/payments/order/{webhooks.pool[-1]['id']}")],
        ),
    ]
