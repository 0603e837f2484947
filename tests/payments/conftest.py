"""Payments tests run against a real localstripe process, started once for the session."""

import pytest
from django.core.cache import cache

from orders.models import Order
from payments.stripe_api import local_account_ensure
from payments.webhooks import webhook_endpoint_register
from tests.factories import offer
from tests.payments.helpers import checkout_order, stripe_ids
from tests.stripe_support import localstripe_running, post_event, stored_event, stripe_settings_use

# localstripe's own webhook deliveries in tests that do not run a live server go to a closed local port.
NOWHERE = "http://127.0.0.1:9"


@pytest.fixture(scope="session")
def localstripe():
    with localstripe_running() as server:
        yield server


@pytest.fixture(autouse=True)
def stripe_api(localstripe, settings):
    """Every payments test talks to the session's localstripe."""
    cache.clear()  # rate-limit counters
    return stripe_settings_use(settings, localstripe)


@pytest.fixture
def stripe_account(db):
    """dj-stripe's owner Account and APIKey rows (localstripe has no /v1/account)."""
    return local_account_ensure()


@pytest.fixture
def webhook_endpoint(stripe_account):
    return webhook_endpoint_register(base_url=NOWHERE).endpoint


@pytest.fixture
def intuitive_premium(db):
    return offer(2, "premium")


@pytest.fixture
def order(client, stripe_account, intuitive_premium) -> Order:
    return checkout_order(client)[0]


@pytest.fixture
def replay(client, webhook_endpoint, django_capture_on_commit_callbacks):
    """POST a stored event about `order` through the webhook endpoint (`ids`: other object ids put in it);
    on-commit work (emails) runs."""

    def deliver(name: str, order: Order, intent, change=None, ids: dict | None = None, **kwargs):
        event = stored_event(name, ids={**stripe_ids(order, intent), **(ids or {})}, change=change)
        with django_capture_on_commit_callbacks(execute=True):
            response = post_event(client, webhook_endpoint, event, **kwargs)
        return response, event

    deliver.endpoint = webhook_endpoint
    return deliver


@pytest.fixture
def live_stripe(live_server, localstripe, transactional_db):
    """The running site (live_server) registered with localstripe: its webhooks reach the site for real."""
    local_account_ensure()
    registration = webhook_endpoint_register(base_url=live_server.url)
    yield registration.endpoint
    # localstripe keeps delivering to the last registered URL: send later events nowhere.
    localstripe.register_webhook(NOWHERE, registration.endpoint.secret)
