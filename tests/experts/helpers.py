"""Helpers for the experts tests: API clients, orders placed in a status through the real services,
signed callbacks."""

import json
from datetime import date

from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from engine.composer import CompositionRequest, compose
from experts import services, signing
from experts.generation import generation_dead_letter, generation_deliver
from experts.models import DeadLetterReason
from orders.models import ContentVersion, Order, OrderStatus
from tests.factories import paid_order


def sample_content(level: int = 2, duration: int = 60, *, seed: str = "test") -> dict:
    """Content valid for a level and a duration (engine.schema), written by the offline composer."""
    tiers = {30: "basic", 60: "premium", 90: "vip"}
    return compose(CompositionRequest(
        first_name="Camille", level=level, service=tiers.get(duration, "premium"), duration_minutes=duration,
        chart=None, question="", objective="", expert_prompt="", expert_instructions="",
        delivery_date=date(2026, 1, 15), seed=seed,
    ))


# Valid for the factories' default order (level 2, premium: 60 minutes).
CONTENT = sample_content()
HTMX = {"HTTP_HX_REQUEST": "true"}


def desk(expert) -> Client:
    """A browser signed in to the desk as this expert."""
    client = Client()
    client.force_login(expert.user)
    return client


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


def processing(expert, **order_kwargs) -> Order:
    """A paid order the expert sent to generation: `processing` with a pending attempt. In a test wrapped
    in a transaction the task is not run (on_commit never fires), so the test plays the generator."""
    order = paid_order(**order_kwargs)
    services.generation_start(order_id=order.pk, expert=expert, prompt="Lis l'avenir.", instructions="Doux.")
    order.refresh_from_db()
    return order


def in_validation(expert, content: dict | None = None, **order_kwargs) -> Order:
    """A paid order generated once and waiting for the expert's validation."""
    order = processing(expert, **order_kwargs)
    if order.status == OrderStatus.PROCESSING:  # in a transactional test the local generator already answered
        generation_deliver(order_id=order.pk, attempt_id=order.generation_attempt_id, content=content or CONTENT)
        order.refresh_from_db()
    return order


def dead_letter(expert):
    """A dead letter for a processing order of `expert` (as after the last failed try), the order back in the queue."""
    order = processing(expert)
    return generation_dead_letter(
        order_id=order.pk, attempt_id=order.generation_attempt_id, reason=DeadLetterReason.RETRIES_EXHAUSTED,
        error="n8n injoignable", tries=5, task="experts.generation_request",
    )


def callback_post(client, raw: bytes, *, timestamp: str, signature: str):
    """The n8n callback with its signature headers exactly as given (forged, tampered or replayed ones)."""
    return client.post(
        "/api/expert/n8n-callback", data=raw, content_type="application/json",
        HTTP_X_LUMIRA_TIMESTAMP=timestamp, HTTP_X_LUMIRA_SIGNATURE=signature,
    )


def signed_callback(client, body: dict | bytes, *, secret: str | None = None, timestamp: float | None = None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    signed = signing.signed_headers(secret or settings.N8N_CALLBACK_SECRET, raw, now=timestamp)
    return callback_post(
        client, raw, timestamp=signed[signing.TIMESTAMP_HEADER], signature=signed[signing.SIGNATURE_HEADER]
    )


def signed_success(order: Order) -> tuple[bytes, str, str]:
    """The success callback for `order` as n8n sends it: its raw body, timestamp and signature (the site's secret),
    for the tests that change one of them before posting."""
    raw = json.dumps(success_body(order)).encode()
    headers = signing.signed_headers(settings.N8N_CALLBACK_SECRET, raw)
    return raw, headers[signing.TIMESTAMP_HEADER], headers[signing.SIGNATURE_HEADER]


def success_body(order: Order, attempt_id=None, content: dict | None = None) -> dict:
    return {
        "orderId": str(order.pk), "attemptId": str(attempt_id or order.generation_attempt_id), "success": True,
        "content": content or CONTENT,
    }


def assert_desk_refused(response, status: int, message: str, order: Order, unchanged: str) -> None:
    """The desk refused the action with `status`, saying `message` (French, in the page or the panel); the order's
    status is still `unchanged`."""
    assert response.status_code == status
    assert message in response.content.decode()
    order.refresh_from_db()
    assert order.status == unchanged


def event_actions(order: Order) -> list[str]:
    return list(order.events.order_by("created_at", "id").values_list("action", flat=True))


def version_rows(order: Order) -> list[tuple]:
    return list(ContentVersion.objects.filter(order=order).order_by("revision").values_list("revision", "outcome"))
