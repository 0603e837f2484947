"""The webhook scenario: signed `payment_intent.succeeded` events, one per pending order, sent by wrk
through dj-stripe's endpoint, then checked (each order paid exactly once).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.endpoint import Context, Endpoint
from bench.subjects import SUBJECT_CLIENTS
from orders.models import Order, OrderEvent, OrderStatus

ROOT = Path(__file__).resolve().parent.parent
STORED_EVENT = ROOT / "tests" / "payments" / "events" / "payment_intent.succeeded.json"
WEBHOOK_WARMUP_ORDERS = 1500
WEBHOOK_POOL_MAX = 30_000  # more than any measure sends (rate × duration); loaded once, at any size


def stripe_retrievals(context: Context) -> int:
    import requests

    return requests.get(f"{context.stripe_base}/_bench/stats", timeout=5).json()["payment_intent_retrievals"]



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
        # The first pending orders by number (an index scan, at any size), the subjects' orders left as seeded.
        orders = list(
            Order.objects.filter(status=OrderStatus.PENDING)
            .exclude(client__email__in=SUBJECT_CLIENTS)
            .order_by("number")
            .values("id", "number", "amount", "currency", "stripe_payment_intent_id")[:WEBHOOK_POOL_MAX]
        )
        if len(orders) < 400:
            raise RuntimeError(f"only {len(orders)} pending orders: reseed the bench database (--fresh)")
        # A small seed (10k orders: ~1 200 pending) keeps three quarters of them for the measure.
        warmup = min(WEBHOOK_WARMUP_ORDERS, len(orders) // 4)
        self.sample, self.warmup, self.pool = orders[0], orders[1:warmup + 1], orders[warmup + 1:]
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
