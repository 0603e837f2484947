"""Direct entry from the confirmation page (SPEC §5): only into the account this browser's checkout created,
never signed into before, once, within the window after payment, never after a refund."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.sessions import NEW_ACCOUNT_ORDERS_SESSION_KEY, PAID_ORDERS_SESSION_KEY
from orders import services as order_services
from orders.models import Order
from sanctuaire.views import ENTRY_NEEDS_LINK
from tests.factories import UserFactory, paid_order

HOME = reverse("sanctuaire:home")
LOGIN = reverse("sanctuaire:login")


def _checkout_in_this_browser(client, order, *, created_account: bool = True) -> None:
    """What create-payment-intent leaves in the paying browser's session."""
    session = client.session
    session[PAID_ORDERS_SESSION_KEY] = [str(order.pk)]
    if created_account:
        session[NEW_ACCOUNT_ORDERS_SESSION_KEY] = [str(order.pk)]
    session.save()


def _enter(client, order):
    return client.get(reverse("sanctuaire:enter_from_order", args=[order.pk]), follow=True)


def _signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


@pytest.fixture
def new_client(db):
    return UserFactory(email="nouvelle@example.com", last_login=None)


@pytest.mark.django_db
def test_a_new_client_enters_once_and_the_second_entry_asks_for_a_link(client, new_client):
    order = paid_order(client=new_client)
    _checkout_in_this_browser(client, order)

    first = _enter(client, order)

    assert first.redirect_chain[0] == (HOME, 302)
    assert _signed_in_user_id(client) == str(new_client.pk)
    new_client.refresh_from_db()
    assert new_client.last_login is not None
    client.logout()
    _checkout_in_this_browser(client, order)  # even with the order id put back in the session

    second = _enter(client, order)

    assert second.redirect_chain == [(LOGIN, 302)]
    assert _signed_in_user_id(client) is None
    assert escape(str(ENTRY_NEEDS_LINK)) in second.content.decode()


@pytest.mark.django_db
def test_a_signed_in_client_clicking_the_button_again_simply_goes_home(client, new_client):
    order = paid_order(client=new_client)
    _checkout_in_this_browser(client, order)
    _enter(client, order)

    again = client.get(reverse("sanctuaire:enter_from_order", args=[order.pk]))

    assert again["Location"] == HOME and _signed_in_user_id(client) == str(new_client.pk)


@pytest.mark.django_db
def test_entry_after_the_window_asks_for_a_link(client, new_client, settings):
    order = paid_order(client=new_client)
    late = timezone.now() - timedelta(seconds=settings.SANCTUAIRE_DIRECT_ENTRY_SECONDS + 60)
    Order.objects.filter(pk=order.pk).update(paid_at=late)
    _checkout_in_this_browser(client, order)

    response = _enter(client, order)

    assert response.redirect_chain == [(LOGIN, 302)] and _signed_in_user_id(client) is None
    assert escape(str(ENTRY_NEEDS_LINK)) in response.content.decode()


@pytest.mark.django_db
def test_entry_after_a_refund_asks_for_a_link(client, new_client):
    order = paid_order(client=new_client)
    order_services.order_refund(order_id=order.pk, note="Remboursement total (test).")
    _checkout_in_this_browser(client, order)

    response = _enter(client, order)

    assert response.redirect_chain == [(LOGIN, 302)] and _signed_in_user_id(client) is None


@pytest.mark.django_db
def test_an_account_the_checkout_did_not_create_is_never_entered_directly(client, client_user):
    """The paying browser's session knows the order, but the email already had an account."""
    order = paid_order(client=client_user)
    _checkout_in_this_browser(client, order, created_account=False)

    response = _enter(client, order)

    assert response.redirect_chain == [(LOGIN, 302)] and _signed_in_user_id(client) is None
    assert escape(str(ENTRY_NEEDS_LINK)) in response.content.decode()


@pytest.mark.django_db
def test_an_account_already_signed_into_is_never_entered_directly(client, new_client):
    order = paid_order(client=new_client)
    new_client.last_login = timezone.now() - timedelta(minutes=1)
    new_client.save(update_fields=["last_login"])
    _checkout_in_this_browser(client, order)

    response = _enter(client, order)

    assert response.redirect_chain == [(LOGIN, 302)] and _signed_in_user_id(client) is None
