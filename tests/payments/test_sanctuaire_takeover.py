"""Paying under someone else's email never opens their Sanctuaire (SPEC §5), over HTTP: the running site, a
real localstripe and its webhooks, a browser that pays with its own card and then tries the confirmation
page's "Entrer dans mon Sanctuaire"."""

import datetime

import pytest
import requests
from django.contrib.auth import get_user_model
from django.utils.html import escape

from accounts.models import ClientProfile
from orders.models import Order, OrderStatus
from sanctuaire.views import ENTRY_NEEDS_LINK
from tests.factories import UserFactory
from tests.payments.helpers import CONFIRM_URL, CREATE_URL, ORDER_FORM
from tests.server_support import wait_for

VICTIM_EMAIL = "valerie.secret@example.com"
VICTIM_PLACE = "Carcassonne-MARK-PLACE"
VICTIM_QUESTION = "MARK-QUESTION Dois-je quitter mon poste ?"


def _pay(http: requests.Session, base: str, localstripe, email: str) -> str:
    """Order and pay with a working card in this browser; returns the order id once the webhook marked it paid."""
    created = http.post(base + CREATE_URL, json={**ORDER_FORM, "email": email, "name": "Mallory Payeur"}, timeout=10)
    assert created.status_code == 201, created.text
    body = created.json()
    setup = localstripe.confirm_setup_intent(body["setupClientSecret"], "4242424242424242")
    confirmed = http.post(base + CONFIRM_URL, json={"orderId": body["orderId"], "setupIntentId": setup["id"]}, timeout=10)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "succeeded"
    status_url = f"{base}/api/payments/order/{body['orderId']}"
    wait_for(lambda: http.get(status_url, timeout=5).json()["order"]["status"] == "paid")
    return body["orderId"]


@pytest.fixture
def victim(transactional_db):
    user = UserFactory(email=VICTIM_EMAIL, first_name="Valérie", last_name="Secret")
    ClientProfile.objects.create(
        user=user, birth_date=datetime.date(1984, 2, 29), birth_time="23:10", birth_place=VICTIM_PLACE,
        question=VICTIM_QUESTION, objective="Rester discrète.",
    )
    return user


@pytest.mark.parametrize("typed_email", [VICTIM_EMAIL, "Valerie.SECRET@Example.COM"])
def test_paying_under_an_existing_clients_email_never_opens_their_sanctuaire_nor_shows_their_data(
    live_server, live_stripe, localstripe, intuitive_premium, victim, typed_email
):
    base = live_server.url
    attacker = requests.Session()

    order_id = _pay(attacker, base, localstripe, typed_email)

    entered = attacker.get(f"{base}/sanctuaire/entrer/{order_id}/", timeout=10)
    assert entered.url == f"{base}/sanctuaire/connexion/"
    assert escape(str(ENTRY_NEEDS_LINK)) in entered.text
    # Not signed in anywhere: pages send to the login, the API refuses, the victim's reading list is closed.
    for path in ("/sanctuaire/", "/sanctuaire/profil/", f"/sanctuaire/commandes/{order_id}/"):
        answer = attacker.get(base + path, allow_redirects=False, timeout=10)
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/sanctuaire/connexion/"), path
    assert attacker.get(f"{base}/api/sanctuaire/profile", timeout=10).status_code == 401
    rewrite = attacker.post(f"{base}/sanctuaire/profil/", data={"birth_place": "Ailleurs"}, allow_redirects=False,
                            timeout=10)
    assert rewrite.status_code in (302, 403)
    # What the payer can read about their order shows nothing of the account it landed in.
    pages = [
        attacker.get(f"{base}/commande/{order_id}/", timeout=10).text,
        attacker.get(f"{base}/commande/{order_id}/statut/", timeout=10).text,
        attacker.get(f"{base}/api/payments/order/{order_id}", timeout=10).text,
    ]
    for page in pages:
        for secret in (VICTIM_PLACE, "MARK-QUESTION", "Valérie", VICTIM_EMAIL, "1984"):
            assert secret not in page
    # One account for the address, whatever case was typed; the victim's profile is untouched.
    assert get_user_model().objects.filter(email__iexact=VICTIM_EMAIL).count() == 1
    order = Order.objects.get(pk=order_id)
    assert order.client_id == victim.pk and order.status == OrderStatus.PAID
    profile = ClientProfile.objects.get(user=victim)
    assert (profile.birth_place, profile.question) == (VICTIM_PLACE, VICTIM_QUESTION)
    victim.refresh_from_db()
    assert victim.last_login is None and (victim.first_name, victim.last_name) == ("Valérie", "Secret")


def test_a_new_client_enters_from_the_browser_that_paid_and_nowhere_else(
    live_server, live_stripe, localstripe, intuitive_premium
):
    base = live_server.url
    payer = requests.Session()
    order_id = _pay(payer, base, localstripe, "Nouvelle.Cliente@Example.com")

    entered = payer.get(f"{base}/sanctuaire/entrer/{order_id}/", timeout=10)

    assert entered.url == f"{base}/sanctuaire/profil/"  # signed in; the profile comes first
    assert payer.get(f"{base}/sanctuaire/profil/", allow_redirects=False, timeout=10).status_code == 200
    user = get_user_model().objects.get(email="nouvelle.cliente@example.com")
    assert user.last_login is not None
    # Another browser holding the link (the "commande payée" email) is sent to ask for a magic link.
    elsewhere = requests.Session().get(f"{base}/sanctuaire/entrer/{order_id}/", timeout=10)
    assert elsewhere.url == f"{base}/sanctuaire/connexion/"
