"""A tiny, fast stand-in for the Stripe API during `make bench`: it answers the PaymentIntent retrieval
that dj-stripe makes while processing each `payment_intent.succeeded` webhook.

Why not localstripe: localstripe keeps its objects in memory and knows only what was created through it,
so 12,000 seeded PaymentIntents would first have to be created there one by one, and its single
aiohttp process (with its own bookkeeping) would then be measured along with Lumira. The stand-in needs
no state: the seed gives every order a PaymentIntent id that spells its amount, currency and order id
(`payment_intent_id`), and `GET /v1/payment_intents/<id>` rebuilds a succeeded PaymentIntent from it.

It also answers `POST /_config/webhooks/<name>` like localstripe, so the payments app's own
`webhook_endpoint_register` registers the bench's endpoint exactly as it does against localstripe, and
`GET /_bench/stats` (how many retrievals were answered). Anything else gets Stripe's 404 error shape.

Run: python -m bench.stripe_standin --port N (prints "ready" once listening; stops on SIGTERM/SIGINT).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import signal
import uuid

PREFIX = "pi_bench_"
_ID = re.compile(r"pi_bench_([a-z]{3})_(\d+)_([0-9a-f]{32})")
CREATED = 1764072885  # any fixed Unix time: the handlers never read it


def payment_intent_id(*, order_id: uuid.UUID, amount: int, currency: str) -> str:
    """The id the seed stores on an order, from which the stand-in rebuilds the PaymentIntent."""
    return f"{PREFIX}{currency.lower()}_{amount}_{order_id.hex}"


def payment_intent(intent_id: str) -> dict | None:
    """A succeeded PaymentIntent (Stripe's shape, the fields dj-stripe and Lumira read), or None."""
    match = _ID.fullmatch(intent_id)
    if match is None:
        return None
    currency, amount, order_hex = match.groups()
    amount = int(amount)
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_received": amount,
        "capture_method": "automatic",
        "client_secret": f"{intent_id}_secret_bench",
        "confirmation_method": "automatic",
        "created": CREATED,
        "currency": currency,
        "customer": None,
        "description": None,
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "metadata": {"lumira_order_id": str(uuid.UUID(order_hex))},
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_types": ["card"],
        "receipt_email": None,
        "setup_future_usage": None,
        "shipping": None,
        "statement_descriptor": None,
        "status": "succeeded",
        "transfer_data": None,
    }


def _not_found(path: str) -> tuple[int, dict]:
    return 404, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                           "message": f"No such object: {path}"}}


class StandIn:
    def __init__(self) -> None:
        self.retrievals = 0

    def answer(self, method: str, path: str) -> tuple[int, dict]:
        path = path.split("?", 1)[0]
        if method == "GET" and path.startswith("/v1/payment_intents/"):
            intent = payment_intent(path.rsplit("/", 1)[1])
            if intent is None:
                return _not_found(path)
            self.retrievals += 1
            return 200, intent
        if method == "POST" and path.startswith("/_config/webhooks/"):
            return 200, {}
        if method == "GET" and path == "/_bench/stats":
            return 200, {"payment_intent_retrievals": self.retrievals}
        return _not_found(path)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # HTTP/1.1 with keep-alive: the stripe client (requests) reuses one connection per gunicorn worker.
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                length = 0
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                if length:
                    await reader.readexactly(length)
                status, body = self.answer(method, path)
                payload = json.dumps(body).encode()
                reason = "OK" if status == 200 else "Not Found"
                writer.write(
                    f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(payload)}\r\nRequest-Id: req_bench\r\n\r\n".encode() + payload
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError, asyncio.CancelledError):
            pass  # client gone, or the stand-in stopping
        finally:
            writer.close()


async def serve(port: int) -> None:
    standin = StandIn()
    server = await asyncio.start_server(standin.handle, "127.0.0.1", port, backlog=1024)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print("ready", flush=True)
    async with server:
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(serve(parser.parse_args().port))


if __name__ == "__main__":
    main()
