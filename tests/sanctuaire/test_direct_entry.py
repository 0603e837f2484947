"""Direct entry from the confirmation page (SPEC §5): only into the account this browser's checkout created,
never signed into before, once, within the window after payment, never after a refund."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from orders import services as order_services
from orders.models import Order
from sanctuaire.views import ENTRY_NEEDS_LINK
from tests.factories import UserFactory, paid_order

from .conftest import checkout_in_this_browser

HOME = reverse("sanctuaire:home")
LOGIN = reverse("sanctuaire:login")


def _enter(client, order):
    return client.get(reverse("sanctuaire:enter_from_order", args=[order.pk]), follow=True)


def _signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def _asked_for_a_link(client, response) -> bool:
    """Refused: the browser lands on the sign-in page, signed out, told to ask for a sign-in link."""
    sent_to_sign_in = response.redirect_chain == [(LOGIN, 302)] and _signed_in_user_id(client) is None
    return sent_to_sign_in and escape(str(ENTRY_NEEDS_LINK)) in response.content.decode()


@pytest.fixture
def new_client(db):
    return UserFactory(email="nouvelle@example.com", last_login=None)


@pytest.mark.django_db
def test_a_new_client_enters_once_and_the_second_entry_asks_for_a_link(client, new_client):
    order = paid_order(client=new_client)
    checkout_in_this_browser(client, order)

    first = _enter(client, order)

    assert first.redirect_chain[0] == (HOME, 302)
    assert _signed_in_user_id(client) == str(new_client.pk)
    new_client.refresh_from_db()
    assert new_client.last_login is not None
    client.logout()
    checkout_in_this_browser(client, order)  # even with the order id put back in the session

    second = _enter(client, order)

    assert _asked_for_a_link(client, second)


@pytest.mark.django_db
def test_a_signed_in_client_clicking_the_button_again_simply_goes_home(client, new_client):
    order = paid_order(client=new_client)
    checkout_in_this_browser(client, order)
    _enter(client, order)

    again = client.get(reverse("sanctuaire:enter_from_order", args=[order.pk]))

    assert again["Location"] == HOME and _signed_in_user_id(client) == str(new_client.pk)


def _paid_too_long_ago(order: Order, settings) -> None:
    late = timezone.now() - timedelta(seconds=settings.SANCTUAIRE_DIRECT_ENTRY_SECONDS + 60)
    Order.objects.filter(pk=order.pk).update(paid_at=late)


def _refunded(order: Order, settings) -> None:
    order_services.order_refund(order_id=order.pk, note="Remboursement total (test).")


def _account_signed_into_before(order: Order, settings) -> None:
    order.client.last_login = timezone.now() - timedelta(minutes=1)
    order.client.save(update_fields=["last_login"])


@pytest.mark.django_db
@pytest.mark.parametrize("since_checkout", [_paid_too_long_ago, _refunded, _account_signed_into_before],
                         ids=["after-the-window", "after-a-refund", "into-an-account-signed-into-before"])
def test_entry_asks_for_a_link(client, new_client, settings, since_checkout):
    order = paid_order(client=new_client)
    since_checkout(order, settings)
    checkout_in_this_browser(client, order)

    response = _enter(client, order)

    assert _asked_for_a_link(client, response)


@pytest.mark.django_db
def test_an_account_the_checkout_did_not_create_is_never_entered_directly(client, client_user):
    """The paying browser's session knows the order, but the email already had an account."""
    order = paid_order(client=client_user)
    checkout_in_this_browser(client, order, created_account=False)

    response = _enter(client, order)

    assert _asked_for_a_link(client, response)
