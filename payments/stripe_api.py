"""How Lumira talks to Stripe: one place points the client at STRIPE_API_BASE and picks the key.

Development, demo and tests talk to localstripe (STRIPE_API_BASE=http://127.0.0.1:8420); production to
https://api.stripe.com. The calls are the same; localstripe only lacks a few endpoints, handled here.
"""

import logging

import stripe
from django.conf import settings
from django.db import transaction
from djstripe.enums import APIKeyType
from djstripe.models import Account, APIKey
from djstripe.settings import djstripe_settings

logger = logging.getLogger(__name__)

REAL_STRIPE_API_BASE = "https://api.stripe.com"
# localstripe has no /v1/account: the Account that owns every synced object is seeded under this id.
LOCAL_ACCOUNT_ID = "acct_lumiralocal"
# The metadata keys that tie a Stripe object to its order.
ORDER_ID_KEY = "lumira_order_id"
ORDER_NUMBER_KEY = "lumira_order_number"


def configure_stripe() -> None:
    """Point the stripe client (and so dj-stripe) at STRIPE_API_BASE. Called from PaymentsConfig.ready()."""
    stripe.api_base = settings.STRIPE_API_BASE.rstrip("/")
    # Retries reuse the request's idempotency key, so a retried create never makes a second object.
    stripe.max_network_retries = 2


def object_id(value) -> str:
    """The id of a Stripe reference, whether Stripe sent it as an id or as the expanded object."""
    return value if isinstance(value, str) else (value or {}).get("id", "")


def is_localstripe() -> bool:
    return not settings.STRIPE_API_BASE.startswith(REAL_STRIPE_API_BASE)


def secret_key() -> str:
    """The secret key for the configured mode (STRIPE_LIVE_MODE picks live or test)."""
    return djstripe_settings.STRIPE_SECRET_KEY


def local_account_ensure() -> Account:
    """Seed the owner Account and the APIKey row naming it, which dj-stripe needs before any sync.

    Against real Stripe dj-stripe fetches the account from /v1/account by itself; localstripe has no such
    endpoint, so this runs for localstripe only (bootstrap command and tests). Idempotent.
    """
    with transaction.atomic():
        account, _ = Account.objects.get_or_create(
            id=LOCAL_ACCOUNT_ID,
            defaults={
                "livemode": False,
                "stripe_data": {
                    "id": LOCAL_ACCOUNT_ID,
                    "object": "account",
                    "business_profile": {"name": "Lumira (localstripe)"},
                    "settings": {"dashboard": {"display_name": "Lumira (localstripe)"}},
                },
            },
        )
        APIKey.objects.update_or_create(
            secret=secret_key(),
            defaults={
                "type": APIKeyType.secret,
                "livemode": False,
                "name": "localstripe",
                "djstripe_owner_account": account,
            },
        )
    return account


def stripe_object_unknown(error: Exception) -> bool:
    """Whether the API answered that the object does not exist: Stripe's 404 `resource_missing`, or
    localstripe's bare 404 "Not Found" (which lacks the code). Any other error (a wrong URL, an outage) is not."""
    if not isinstance(error, stripe.InvalidRequestError) or error.http_status != 404:
        return False
    if error.code == "resource_missing":
        return True
    body = error.json_body if isinstance(error.json_body, dict) else {}
    return is_localstripe() and (body.get("error") or {}).get("message") == "Not Found"
