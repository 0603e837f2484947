"""Abuse limits, through maintained libraries: expert sign-in lockout (django-axes, counted in PostgreSQL),
magic-link requests and order creation (django-ratelimit, counted in the shared cache)."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from axes.models import AccessAttempt
from cryptography.fernet import Fernet
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from orders.models import Order
from tests.factories import ExpertFactory, offer

ROOT = Path(__file__).resolve().parents[2]
DESK_LOGIN = "/desk/login/"
API_LOGIN = "/api/expert/login"
PASSWORD = "expert-password-123"
LOCKED = "ce compte est verrouillé pendant 15 minutes"


def _desk(client: Client, email: str, password: str):
    return client.post(DESK_LOGIN, {"email": email, "password": password})


def _api(client: Client, email: str, password: str):
    return client.post(API_LOGIN, {"email": email, "password": password}, content_type="application/json")


@pytest.mark.django_db
def test_five_failed_sign_ins_across_desk_and_api_lock_the_account_even_with_the_right_password(expert, other_expert):
    browser, script = Client(), Client()
    failures = [_desk(browser, expert.email, "faux").status_code for _ in range(3)]
    failures += [_api(script, expert.email.upper(), "faux").status_code for _ in range(2)]  # same account, any case

    desk = _desk(browser, expert.email, PASSWORD)
    api = _api(script, expert.email, PASSWORD)

    assert failures == [401] * 4 + [429]  # the failure that reaches the limit already answers "locked"
    assert desk.status_code == 429 and LOCKED in desk.content.decode()
    assert "_auth_user_id" not in browser.session  # no session opened
    assert (api.status_code, api.json()["error"]["code"]) == (429, "locked_out")
    assert LOCKED in api.json()["error"]["message"]
    # Per account: another expert signs in from the same address.
    assert _api(script, other_expert.email, PASSWORD).status_code == 200
    # The count lives in PostgreSQL (axes' AccessAttempt), shared by every web process.
    assert AccessAttempt.objects.get(username=expert.email).failures_since_start >= 5


@pytest.mark.django_db
def test_an_unknown_address_is_locked_the_same_way_so_the_lockout_reveals_no_account():
    client = Client()
    codes = [_api(client, "nobody@lumira.local", "faux").status_code for _ in range(6)]
    assert codes == [401] * 4 + [429, 429]


@pytest.mark.django_db
def test_the_lock_opens_after_the_cool_off_and_a_success_clears_the_count(expert):
    client = Client()
    for _ in range(5):
        _api(client, expert.email, "faux")
    assert _api(client, expert.email, PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))  # 15 minutes later

    assert _api(client, expert.email, PASSWORD).status_code == 200
    assert not AccessAttempt.objects.filter(username=expert.email).exists()  # AXES_RESET_ON_SUCCESS


@pytest.mark.django_db
def test_the_admin_login_is_locked_out_too(staff_user):
    client = Client()
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": staff_user.email, "password": "faux"})

    response = client.post(reverse("admin:login"), {"username": staff_user.email, "password": "not-a-real-password"})

    assert response.status_code == 429 and LOCKED in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_lockout_holds_across_processes_failures_over_http_lock_the_api_here(live_server):
    expert = ExpertFactory(user__email="iris@lumira.local")
    http = requests.Session()
    codes = [http.post(live_server.url + API_LOGIN, json={"email": expert.email, "password": "faux"}, timeout=10).status_code
             for _ in range(5)]

    here = _api(Client(), expert.email, PASSWORD)  # another connection, another thread: the count is in the database

    assert codes == [401] * 4 + [429]
    assert here.status_code == 429


@pytest.mark.django_db
def test_a_client_signing_in_by_magic_link_is_never_counted(client_user, django_capture_on_commit_callbacks):
    client = Client()
    for _ in range(6):
        client.post(reverse("sanctuaire:magic_link"), {"token": "forged"})
    assert not AccessAttempt.objects.exists()


# --- magic links and orders (django-ratelimit) -----------------------------------------------------------------

@pytest.mark.django_db
def test_magic_link_requests_are_limited_per_address_and_answer_alike_for_unknown_ones(
    client_user, django_capture_on_commit_callbacks, settings
):
    settings.SANCTUAIRE_LINK_RATE_PER_EMAIL = "5/h"
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        known = [client.post(reverse("sanctuaire:login"), {"email": client_user.email}).status_code for _ in range(6)]
        unknown = [client.post(reverse("sanctuaire:login"), {"email": "ghost@example.com"}).status_code for _ in range(6)]

    assert known == unknown == [302] * 5 + [429]
    assert len(mail.outbox) == 5 and {message.to[0] for message in mail.outbox} == {client_user.email}


@pytest.mark.django_db
def test_order_creation_is_limited_per_address_before_anything_is_created(settings):
    settings.PAYMENTS_CREATE_RATE = "10/m"
    offer()
    body = {"level": "aucun", "service": "premium", "email": "x@example.com", "name": "Camille", "phone": "0600000000"}
    client = Client(REMOTE_ADDR="203.0.113.7")

    codes = [client.post("/api/payments/create-payment-intent", body, content_type="application/json").status_code
             for _ in range(11)]
    other_address = Client(REMOTE_ADDR="203.0.113.8").post(
        "/api/payments/create-payment-intent", body, content_type="application/json"
    )

    assert codes == [400] * 10 + [429]
    assert other_address.status_code == 400
    assert not Order.objects.exists()


def test_production_refuses_a_per_process_cache_for_the_rate_limit_counters():
    env = {k: v for k, v in os.environ.items() if k not in {"LUMIRA_ENV", "DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"LUMIRA_ENV": "prod", "DJANGO_SECRET_KEY": "p" * 60 + "-real-secret",
                "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
                "DJANGO_ALLOWED_HOSTS": "lumira.example", "STRIPE_TEST_SECRET_KEY": "sk_test_x",
                "CACHE_URL": "locmemcache://lumira"})

    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)

    assert result.returncode != 0
    assert "django_ratelimit.E003" in result.stderr + result.stdout



# --- the client's address: TRUSTED_PROXY_COUNT (lumira/client_ip.py) ---------------------------------------------
# Each per-address limit, as (rate setting, one request, the answer below the limit).

def _token(client: Client, i: int, **meta):
    return client.post("/api/sanctuaire/token", {"token": "forged"}, content_type="application/json", **meta)


def _magic_link(client: Client, i: int, **meta):
    return client.post(reverse("sanctuaire:login"), {"email": f"visiteur{i}@example.com"}, **meta)


def _expert_login(client: Client, i: int, **meta):
    return client.post(DESK_LOGIN, {"email": f"inconnu{i}@lumira.local", "password": "faux"}, **meta)


def _order(client: Client, i: int, **meta):
    body = {"level": "aucun", "service": "premium", "email": "x@example.com", "name": "Camille", "phone": "0600000000"}
    return client.post("/api/payments/create-payment-intent", body, content_type="application/json", **meta)


LIMITS = {
    "token (DRF throttle)": ("SANCTUAIRE_TOKEN_RATE_PER_IP", _token, 401),
    "magic link (django-ratelimit)": ("SANCTUAIRE_LINK_RATE_PER_IP", _magic_link, 302),
    "expert sign-in (django-ratelimit)": ("EXPERT_LOGIN_RATE", _expert_login, 401),
    "order creation (django-ratelimit)": ("PAYMENTS_CREATE_RATE", _order, 400),
}
PROXY = "10.0.0.2"  # the TLS proxy in front, as the TCP peer


@pytest.fixture(params=list(LIMITS), ids=list(LIMITS))
def limit(request, settings):
    setting, send, below = LIMITS[request.param]
    setattr(settings, setting, "3/m")
    return send, below


@pytest.mark.django_db
def test_without_a_trusted_proxy_rotating_x_forwarded_for_does_not_escape_a_limit(limit, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    send, below = limit
    client = Client(REMOTE_ADDR="203.0.113.7")

    codes = [send(client, i, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(4)]

    assert codes == [below] * 3 + [429]


@pytest.mark.django_db
def test_behind_one_trusted_proxy_two_visitors_have_their_own_limits_and_a_forged_entry_changes_nothing(
    limit, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    send, below = limit
    proxy = Client(REMOTE_ADDR=PROXY)
    # The proxy appends the address it received from; what the visitor wrote before it is theirs, not trusted.
    first = [send(proxy, i, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 198.51.100.1").status_code for i in range(4)]
    second = send(proxy, 9, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code

    assert first == [below] * 3 + [429]
    assert second == below


@pytest.mark.django_db
def test_the_sign_in_lockout_records_the_visitor_behind_the_proxy_not_the_proxy(expert, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    Client(REMOTE_ADDR=PROXY).post(
        DESK_LOGIN, {"email": expert.email, "password": "faux"}, HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.1"
    )

    assert AccessAttempt.objects.get(username=expert.email).ip_address == "198.51.100.1"
