"""The Stripe webhook endpoint: dj-stripe's UUID URL, its secret in the database, registered with Stripe.

Against Stripe the endpoint is created through the API (which returns the signing secret). localstripe
has no webhook-endpoint API: the row is created here with a fresh secret, and the same URL and secret
are registered with localstripe's `POST /_config/webhooks/<name>` (kept in memory: again after a restart).
"""

import json
import logging
import secrets
import uuid
from dataclasses import dataclass

import requests
import stripe
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from djstripe.enums import WebhookEndpointStatus
from djstripe.models import WebhookEndpoint
from djstripe.settings import djstripe_settings
from djstripe.views import ProcessWebhookView

from .stripe_api import is_localstripe, local_account_ensure, secret_key, stripe_object_unknown

logger = logging.getLogger(__name__)

# What Lumira listens to (the receivers in receivers.py).
ENABLED_EVENTS = [
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "charge.refunded",
]
LOCAL_ENDPOINT_ID = "we_lumira_localstripe"
LOCALSTRIPE_WEBHOOK_NAME = "lumira"


@dataclass(frozen=True)
class WebhookRegistration:
    endpoint: WebhookEndpoint
    url: str
    created: bool


def webhook_path(endpoint_uuid) -> str:
    return reverse("djstripe:djstripe_webhook_by_uuid", kwargs={"uuid": endpoint_uuid})


def webhook_endpoint_register(*, base_url: str) -> WebhookRegistration:
    """Create (once) the endpoint for `base_url` and make Stripe or localstripe deliver to it. Idempotent."""
    base_url = base_url.rstrip("/")
    if is_localstripe():
        return _register_with_localstripe(base_url)
    return _register_with_stripe(base_url)


def _register_with_localstripe(base_url: str) -> WebhookRegistration:
    with transaction.atomic():
        endpoint_uuid = uuid.uuid4()
        endpoint, created = WebhookEndpoint.objects.select_for_update().get_or_create(
            id=LOCAL_ENDPOINT_ID,
            defaults={
                "livemode": False,
                "djstripe_uuid": endpoint_uuid,
                "secret": f"whsec_{secrets.token_urlsafe(32)}",
                "url": base_url + webhook_path(endpoint_uuid),
                "enabled_events": ENABLED_EVENTS,
                "status": WebhookEndpointStatus.enabled,
                "api_version": djstripe_settings.STRIPE_API_VERSION,
                "djstripe_owner_account": local_account_ensure(),
                "stripe_data": {"id": LOCAL_ENDPOINT_ID, "object": "webhook_endpoint"},
            },
        )
        url = base_url + webhook_path(endpoint.djstripe_uuid)
        if endpoint.url != url or endpoint.enabled_events != ENABLED_EVENTS:
            endpoint.url = url
            endpoint.enabled_events = ENABLED_EVENTS
            endpoint.save(update_fields=["url", "enabled_events"])
    response = requests.post(
        f"{settings.STRIPE_API_BASE.rstrip('/')}/_config/webhooks/{LOCALSTRIPE_WEBHOOK_NAME}",
        json={"url": url, "secret": endpoint.secret, "events": ENABLED_EVENTS},
        timeout=10,
    )
    response.raise_for_status()
    return WebhookRegistration(endpoint=endpoint, url=url, created=created)


def _register_with_stripe(base_url: str) -> WebhookRegistration:
    prefix = base_url + webhook_path(uuid.UUID(int=0)).rsplit("/", 2)[0] + "/"
    existing = WebhookEndpoint.objects.filter(livemode=settings.STRIPE_LIVE_MODE, url__startswith=prefix).first()
    if existing is not None:
        return WebhookRegistration(endpoint=existing, url=existing.url, created=False)
    endpoint_uuid = uuid.uuid4()
    url = base_url + webhook_path(endpoint_uuid)
    data = stripe.WebhookEndpoint.create(
        url=url,
        enabled_events=ENABLED_EVENTS,
        api_version=djstripe_settings.STRIPE_API_VERSION,
        metadata={"djstripe_uuid": str(endpoint_uuid)},
        idempotency_key=f"lumira-webhook-{endpoint_uuid}",
        api_key=secret_key(),
    )
    with transaction.atomic():
        endpoint = WebhookEndpoint.sync_from_stripe_data(data, api_key=secret_key())
        # Stripe returns the signing secret only in this answer.
        endpoint.secret = data["secret"]
        endpoint.djstripe_uuid = endpoint_uuid
        endpoint.save(update_fields=["secret", "djstripe_uuid"])
    return WebhookRegistration(endpoint=endpoint, url=url, created=True)


class StripeWebhookView(ProcessWebhookView):
    """dj-stripe's webhook view, except for an event naming a PaymentIntent, charge or customer the Stripe API
    does not know. Stripe retries a 5xx for days, so such an event is acknowledged (200), logged and left
    alone: dj-stripe has rolled its processing back (nothing synced, no receiver's work kept) and kept the
    trigger row with the error for staff.

    dj-stripe raises on localstripe's 404 (no `resource_missing` code) and on any unknown customer; it
    skips an object Stripe answers `resource_missing` for, which the receivers detect (no fresh copy).
    """

    def post(self, request, uuid):
        try:
            return super().post(request, uuid)
        except stripe.InvalidRequestError as error:
            if not stripe_object_unknown(error):
                raise
        try:
            event = json.loads(request.body)
        except ValueError:
            event = {}
        event = event if isinstance(event, dict) else {}
        logger.warning(
            "payments: Stripe event %s (%s) names an object the Stripe API does not know: acknowledged, ignored",
            event.get("id"), event.get("type"),
        )
        return HttpResponse("Unknown Stripe object: event acknowledged and ignored.")
