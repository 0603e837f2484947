"""Stripe for tests: a real localstripe process on a free port, and signed replays of stored Stripe events.

Reusable by any test package: start `LocalStripe` once per session (see tests/payments/conftest.py), point
STRIPE_API_BASE at it, seed dj-stripe's account with `payments.stripe_api.local_account_ensure()`.
"""

import contextlib
import hashlib
import hmac
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from bench.processes import free_port
from tests.server_support import StandInHandler, StandInServer

EVENTS_DIR = Path(__file__).parent / "payments" / "events"

# The ids the stored events carry; tests swap them for the objects they created in localstripe.
STORED_IDS = {
    "payment_intent": "pi_3QLumHRwZ6sL9Fz01kLxNbwP",
    "charge": "ch_3QLumHRwZ6sL9Fz01mSPjlQd",
    "customer": "cus_RDv3bYqKpLZcS2",
    "payment_method": "pm_1QLumFRwZ6sL9Fz0H5sRzA5Q",
    "order_id": "5f0c6a3e-8b1d-4e51-9c1a-2d7f4b9e0a11",
    "order_number": "LU2026112500001",
}


@contextlib.contextmanager
def localstripe_running() -> Iterator["LocalStripe"]:
    """A started localstripe, stopped afterwards (a session fixture's body)."""
    server = LocalStripe().start()
    try:
        yield server
    finally:
        server.stop()


def stripe_settings_use(settings, server: "LocalStripe") -> "LocalStripe":
    """Point the site at `server` (PaymentsConfig follows STRIPE_API_BASE); `settings` is pytest-django's fixture."""
    settings.STRIPE_API_BASE = server.url
    settings.STRIPE_JS_URL = server.js_url
    return server


# Fixtures for a test package's conftest to import: a session's localstripe, and the test's site pointed at it.
@pytest.fixture(scope="session")
def localstripe():
    with localstripe_running() as server:
        yield server


@pytest.fixture
def stripe_api(localstripe, settings):
    """This test's Stripe is the session's localstripe."""
    return stripe_settings_use(settings, localstripe)


class LocalStripe:
    """localstripe (`localstripe --port <free port> --from-scratch`) as a child process."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self._log = tempfile.NamedTemporaryFile(prefix="localstripe-", suffix=".log", delete=False)  # noqa: SIM115

    @property
    def js_url(self) -> str:
        return f"{self.url}/js.stripe.com/v3/"

    def start(self, timeout: float = 20) -> "LocalStripe":
        executable = Path(sys.executable).with_name("localstripe")
        self.process = subprocess.Popen(
            [str(executable), "--port", str(self.port), "--from-scratch"],
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"localstripe exited at start:\n{self.log_text()}")
            try:
                if requests.get(self.js_url, timeout=1).status_code == 200:
                    return self
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"localstripe did not answer on {self.url} within {timeout}s:\n{self.log_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log.close()

    def log_text(self) -> str:
        return Path(self._log.name).read_text(errors="replace")[-5000:]

    def register_webhook(self, url: str, secret: str, name: str = "lumira") -> None:
        response = requests.post(f"{self.url}/_config/webhooks/{name}", json={"url": url, "secret": secret}, timeout=5)
        response.raise_for_status()

    def confirm_setup_intent(self, client_secret: str, card_number: str, publishable_key: str = "pk_test_x") -> dict:
        """What Stripe.js's confirmCardSetup(clientSecret, {payment_method: {card}}) sends."""
        setup_id = client_secret.split("_secret_")[0]
        response = requests.post(
            f"{self.url}/v1/setup_intents/{setup_id}/confirm",
            json={
                "key": publishable_key, "use_stripe_sdk": True, "client_secret": client_secret,
                "payment_method_data": {
                    "type": "card",
                    "card": {"number": card_number, "exp_month": "12", "exp_year": "2030", "cvc": "123"},
                },
            },
            timeout=5,
        )
        return response.json()

    def complete_setup_authentication(self, client_secret: str, publishable_key: str = "pk_test_x") -> dict:
        """What localstripe's 3-D Secure dialog sends when the client clicks "Complete authentication"."""
        setup_id = client_secret.split("_secret_")[0]
        response = requests.post(
            f"{self.url}/v1/setup_intents/{setup_id}/confirm",
            json={"key": publishable_key, "use_stripe_sdk": True, "client_secret": client_secret},
            timeout=5,
        )
        return response.json()


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """A Stripe-Signature header, computed the way Stripe does (HMAC-SHA256 of "{t}.{payload}")."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    signature = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={signature}"


def stored_event(name: str, *, ids: dict[str, str], change: Callable[[dict], None] | None = None) -> dict:
    """A stored Stripe event, its ids swapped for the test's (keys of STORED_IDS), optionally changed."""
    text = (EVENTS_DIR / f"{name}.json").read_text()
    for key, value in ids.items():
        text = text.replace(STORED_IDS[key], value)
    event = json.loads(text)
    if change:
        change(event)
    return event


def event_body(event: dict) -> bytes:
    return json.dumps(event, indent=2).encode()


def post_event(client, endpoint, event: dict, *, secret: str | None = None, timestamp: int | None = None,
               signature: str | None = None, endpoint_uuid: str | None = None, **headers):
    """POST an event to dj-stripe's real webhook view for `endpoint` (or the one of `endpoint_uuid`), signed with
    its secret; `headers`: more request headers (HTTP_...)."""
    from payments.webhooks import webhook_path

    body = event_body(event)
    if signature is None:
        signature = sign(body, secret or endpoint.secret, timestamp)
    if signature:
        headers["HTTP_STRIPE_SIGNATURE"] = signature
    return client.post(
        webhook_path(endpoint_uuid or endpoint.djstripe_uuid), data=body, content_type="application/json", **headers
    )


class StripeStyle404Proxy(StandInServer):
    """A Stripe API stand-in in front of localstripe that answers Stripe's own 404 (`resource_missing`) for
    the object ids in `missing`, and relays every other request to localstripe."""

    def __init__(self, upstream: str, missing: set[str]) -> None:
        self.upstream = upstream.rstrip("/")
        self.missing = missing
        super().__init__()

    @property
    def url(self) -> str:
        return self.origin

    def handler(self) -> type[StandInHandler]:
        proxy = self

        class Handler(StandInHandler):
            def _answer(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                gone = next((object_id for object_id in proxy.missing if object_id in self.path), None)
                if gone:
                    kind = self.path.split("/")[2].rstrip("s")
                    status, content_type = 404, "application/json"
                    payload = json.dumps({"error": {
                        "code": "resource_missing", "doc_url": "https://stripe.com/docs/error-codes/resource-missing",
                        "message": f"No such {kind}: '{gone}'", "param": "id", "type": "invalid_request_error",
                    }}).encode()
                else:
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in {"host", "content-length"}}
                    answer = requests.request(self.command, proxy.upstream + self.path, data=body, headers=headers,
                                              timeout=10)
                    status, content_type, payload = answer.status_code, answer.headers.get("Content-Type"), answer.content
                self.reply(status, payload, content_type or "application/json")

            do_GET = do_POST = do_DELETE = _answer

        return Handler
