"""A real HTTP server standing in for n8n: checks the signature of what it receives, answers as scripted,
and (optionally) calls Lumira back, signed, like the shipped workflow does."""

import contextlib
import json
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest
from django.conf import settings

from experts import signing
from orders.models import LEVEL_BY_SLUG
from tests.experts.helpers import sample_content
from tests.server_support import StandInHandler, StandInServer


@contextlib.contextmanager
def n8n_stub_running(*, call_back: bool = True) -> Iterator["N8nStub"]:
    """An N8nStub with the site's secrets, started, stopped afterwards."""
    stub = N8nStub(
        webhook_secret=settings.N8N_WEBHOOK_SECRET, callback_secret=settings.N8N_CALLBACK_SECRET, call_back=call_back
    ).start()
    try:
        yield stub
    finally:
        stub.stop()


@pytest.fixture(scope="module")
def n8n_stub() -> Iterator["N8nStub"]:
    """A test module's n8n stand-in that calls back, for its Celery worker (a fixture: the conftests import it)."""
    with n8n_stub_running() as stub:
        yield stub


class N8nStub(StandInServer):
    def __init__(self, *, webhook_secret: str, callback_secret: str, call_back: bool = True) -> None:
        self.webhook_secret = webhook_secret
        self.callback_secret = callback_secret
        self.call_back = call_back
        self.script: list = []  # per request: an HTTP status, or "timeout"; then 200 for good
        self.received: list[dict] = []
        self.bad_signatures = 0
        self.callbacks: list[int] = []  # Lumira's answers to our callbacks
        self._lock = threading.Lock()
        super().__init__()

    @property
    def url(self) -> str:
        return f"{self.origin}/webhook/lumira-generation"

    def handler(self) -> type[StandInHandler]:
        stub = self

        class Handler(StandInHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                try:
                    signing.verify(
                        stub.webhook_secret, timestamp=self.headers.get(signing.TIMESTAMP_HEADER),
                        signature=self.headers.get(signing.SIGNATURE_HEADER), body=body, max_age=300,
                    )
                except (signing.SignatureError, signing.StaleSignature):
                    stub.bad_signatures += 1
                    self._answer(401)
                    return
                with stub._lock:
                    step = stub.script.pop(0) if stub.script else 200
                    stub.received.append(json.loads(body))
                if step == "timeout":
                    time.sleep(1.0)
                    self._answer(200)
                    return
                self._answer(step)
                if step == 200 and stub.call_back:
                    threading.Thread(target=stub._call_back, args=(json.loads(body),), daemon=True).start()

            def _answer(self, status: int) -> None:
                self.reply(status, b'{"message":"Workflow was started"}')

        return Handler

    def _call_back(self, payload: dict) -> None:
        revision = sum(message["role"] == "assistant" for message in payload["messages"])
        content = sample_content(LEVEL_BY_SLUG[payload["level"]], payload["duration"], seed=payload["attemptId"])
        content["title"] = f"Lecture n8n, révision {revision}."
        usage = {"model": "gpt-4o-mini", "promptTokens": 1200, "completionTokens": 2400}
        body = json.dumps({"orderId": payload["orderId"], "attemptId": payload["attemptId"], "success": True,
                           "content": content, "usage": usage}).encode()
        request = urllib.request.Request(
            payload["callbackUrl"], data=body, method="POST", headers=signing.signed_headers(self.callback_secret, body)
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                self.callbacks.append(response.status)
        except urllib.error.HTTPError as error:
            self.callbacks.append(error.code)
