import re
import time
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from sesame.utils import get_token

from tests.concurrency import all_at_once
from tests.factories import create_order, paid_order

from .conftest import checkout_in_this_browser, complete_profile

LOGIN = reverse("sanctuaire:login")
LINK = reverse("sanctuaire:magic_link")
HOME = reverse("sanctuaire:home")


def _request_link(client, django_capture_on_commit_callbacks, email: str, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(LOGIN, {"email": email}, **extra)


def _link_from_outbox() -> str:
    assert len(mail.outbox) == 1
    return re.search(r"https?://\S+", mail.outbox[0].body).group(0)


def _signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


@pytest.mark.django_db
def test_a_known_client_receives_a_link_that_signs_them_in_after_one_click(
    client, client_user, django_capture_on_commit_callbacks
):
    response = _request_link(client, django_capture_on_commit_callbacks, "Client.A@Example.com")

    assert response.status_code == 302 and response["Location"] == reverse("sanctuaire:link_sent")
    assert mail.outbox[0].to == ["client.a@example.com"]
    assert "Sanctuaire" in mail.outbox[0].subject
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    link = _link_from_outbox()
    confirm = client.get(link, follow=True)
    assert confirm.status_code == 200 and "Entrer dans mon Sanctuaire" in confirm.content.decode()
    assert _signed_in_user_id(client) is None  # opening the link (or a mail scanner doing so) does not spend it
    # The token leaves the URL at once (redirect without the query) and is not in the page either.
    token = link.split("sesame=")[1]
    assert confirm.redirect_chain == [(LINK, 302)] and token not in confirm.content.decode()
    assert client.get(link)["Referrer-Policy"] == "no-referrer"  # the URL with the token sends no Referer
    assert confirm["Referrer-Policy"] == "same-origin"  # the page behind it has no token in its URL

    entered = client.post(LINK)

    assert entered.status_code == 302 and entered["Location"] == HOME
    assert _signed_in_user_id(client) == str(client_user.pk)


@pytest.mark.django_db
def test_the_answer_is_the_same_whether_the_email_is_known_or_not(client, client_user, django_capture_on_commit_callbacks):
    known = _request_link(client, django_capture_on_commit_callbacks, "client.a@example.com")
    unknown = _request_link(client, django_capture_on_commit_callbacks, "nobody@example.com")

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1  # only the real account got an email
    page = client.get(known["Location"]).content.decode()
    assert "Si un compte Lumira existe pour cette adresse" in page


@pytest.mark.django_db
def test_staff_and_experts_never_receive_a_magic_link(client, expert, staff_user, django_capture_on_commit_callbacks):
    _request_link(client, django_capture_on_commit_callbacks, expert.user.email)
    _request_link(client, django_capture_on_commit_callbacks, staff_user.email)

    assert mail.outbox == []


@pytest.mark.django_db
def test_a_magic_link_token_of_a_staff_account_is_refused(client, staff_user):
    response = client.post(LINK, {"token": get_token(staff_user)})
    assert response.status_code == 400 and _signed_in_user_id(client) is None


@pytest.mark.django_db
def test_a_used_link_is_refused_the_second_time(client, client_user):
    token = get_token(client_user)
    assert client.post(LINK, {"token": token}).status_code == 302
    client.post(reverse("sanctuaire:logout"))

    reused = client.get(LINK, {"sesame": token}, follow=True)
    reused_post = client.post(LINK, {"token": token})

    assert reused.status_code == 400 and "déjà été utilisé" in reused.content.decode()
    assert reused_post.status_code == 400
    assert _signed_in_user_id(client) is None


@pytest.mark.django_db
def test_an_expired_link_is_refused(client, client_user, settings):
    token = get_token(client_user)
    later = time.time() + settings.SESAME_MAX_AGE + 5
    with mock.patch("sesame.tokens_v2.time.time", return_value=later):
        response = client.post(LINK, {"token": token})
    assert response.status_code == 400 and _signed_in_user_id(client) is None


@pytest.mark.django_db
def test_a_tampered_or_missing_token_is_refused(client, client_user):
    token = get_token(client_user)
    assert client.get(LINK, {"sesame": token[:-2] + "xx"}, follow=True).status_code == 400
    assert client.get(LINK).status_code == 400
    assert client.post(LINK, {}).status_code == 400
    assert _signed_in_user_id(client) is None


@pytest.mark.django_db
def test_an_invalid_email_gets_a_french_form_error(client):
    response = client.post(LOGIN, {"email": "pas-une-adresse"})
    assert response.status_code == 400
    assert "Saisissez une adresse e-mail valide" in response.content.decode()


@pytest.mark.django_db
def test_link_requests_are_rate_limited_per_email_with_the_same_answer_for_known_and_unknown(
    client, client_user, settings, django_capture_on_commit_callbacks
):
    settings.SANCTUAIRE_LINK_RATE_PER_EMAIL = "2/h"
    for _ in range(2):
        assert _request_link(client, django_capture_on_commit_callbacks, client_user.email).status_code == 302
    limited_known = _request_link(client, django_capture_on_commit_callbacks, client_user.email)
    for _ in range(2):
        _request_link(client, django_capture_on_commit_callbacks, "nobody@example.com")
    limited_unknown = _request_link(client, django_capture_on_commit_callbacks, "nobody@example.com")

    assert limited_known.status_code == limited_unknown.status_code == 429
    assert "Trop de demandes" in limited_known.content.decode()
    assert len(mail.outbox) == 2
    # Another address from the same browser is still served.
    assert _request_link(client, django_capture_on_commit_callbacks, "autre@example.com").status_code == 302


@pytest.mark.django_db
def test_link_requests_are_rate_limited_per_ip(client, settings, django_capture_on_commit_callbacks):
    settings.SANCTUAIRE_LINK_RATE_PER_IP = "3/h"
    statuses = [
        _request_link(client, django_capture_on_commit_callbacks, f"visiteur{n}@example.com").status_code for n in range(4)
    ]
    other_ip = _request_link(client, django_capture_on_commit_callbacks, "x@example.com", REMOTE_ADDR="10.0.0.9")

    assert statuses == [302, 302, 302, 429]
    assert other_ip.status_code == 302


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    for name in ("home", "profile"):
        response = client.get(reverse(f"sanctuaire:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN + "?next=")


@pytest.mark.django_db
def test_a_signed_in_client_visiting_the_login_page_goes_to_their_sanctuaire(client, client_user):
    client.force_login(client_user)
    assert client.get(LOGIN)["Location"] == HOME


@pytest.mark.django_db
def test_sign_out_ends_the_session_and_only_accepts_post(client, client_user):
    client.force_login(client_user)
    assert client.get(reverse("sanctuaire:logout")).status_code == 405

    response = client.post(reverse("sanctuaire:logout"))

    assert response.status_code == 302 and response["Location"] == LOGIN
    assert _signed_in_user_id(client) is None
    assert client.get(HOME).status_code == 302


@pytest.mark.django_db
def test_the_browser_that_paid_enters_from_the_confirmation_page(client, client_user):
    order = paid_order(client=client_user)
    checkout_in_this_browser(client, order)

    response = client.get(reverse("sanctuaire:enter_from_order", args=[order.pk]))

    assert response.status_code == 302 and response["Location"] == HOME
    assert _signed_in_user_id(client) == str(client_user.pk)
    assert client.get(HOME)["Location"] == reverse("sanctuaire:profile")  # profile first


@pytest.mark.django_db
def test_another_browser_cannot_enter_with_an_order_id_alone(client, client_user):
    order = paid_order(client=client_user)

    response = client.get(reverse("sanctuaire:enter_from_order", args=[order.pk]))

    assert response["Location"] == LOGIN and _signed_in_user_id(client) is None


@pytest.mark.django_db
def test_an_unpaid_order_does_not_open_the_sanctuaire_yet(client, client_user):
    order = create_order(client=client_user)
    checkout_in_this_browser(client, order)

    response = client.get(reverse("sanctuaire:enter_from_order", args=[order.pk]), follow=True)

    assert _signed_in_user_id(client) is None
    assert "dès que votre paiement est confirmé" in response.content.decode()


@pytest.mark.django_db
def test_signing_in_copies_a_complete_profile_onto_a_newly_paid_order(client, client_user):
    complete_profile(client_user, birth_place="Nantes")
    order = paid_order(client=client_user, birth_date=None, question="")  # ordered without the intake

    client.post(LINK, {"token": get_token(client_user)})

    order.refresh_from_db()
    assert order.birth_place == "Nantes" and order.question == "Quelle direction pour ma carrière ?"


@pytest.mark.django_db(transaction=True)
def test_two_requests_racing_with_the_same_link_let_only_one_in(client_user):
    from django.db import connection

    from sanctuaire.services import magic_link_consume

    assert connection.vendor == "postgresql"
    token = get_token(client_user)
    outcomes = all_at_once([lambda: magic_link_consume(token=token)] * 2)

    assert sorted(outcome is None for outcome in outcomes) == [False, True]
