"""Production settings over real HTTP: the app run as in production (gunicorn, LUMIRA_ENV=prod, DEBUG off)
against the test database: HTTPS redirect, HSTS, secure cookies, CSP, X-Frame-Options, referrer policy, the
admin under its own prefix only; JSON logs; DEBUG refused with live Stripe keys. (`check --deploy` and the
headers in test mode are in tests/ops/test_production.py.)"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from cryptography.fernet import Fernet
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.factories import ExpertFactory
from tests.server_support import gunicorn_server, suite_redis_url

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PREFIX = f"gestion-{secrets.token_hex(4)}/"
UNSAFE_HERE = {"LUMIRA_ENV", "DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _production_env(**extra: str) -> dict[str, str]:
    database = connection.settings_dict
    return {
        **{k: v for k, v in os.environ.items() if k not in UNSAFE_HERE},
        "LUMIRA_ENV": "prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "CACHE_URL": suite_redis_url(spare=True),
        "REDIS_URL": suite_redis_url(spare=True),
        "STRIPE_TEST_SECRET_KEY": "sk_test_lumiraProductionCheck000000000",
        "DJANGO_ADMIN_URL": ADMIN_PREFIX,
        "GENERATION_BACKEND": "local",
        **extra,
    }


@pytest.fixture
def production_app(transactional_db):
    with gunicorn_server(_production_env()) as url:
        yield url


HTTPS = {"X-Forwarded-Proto": "https"}  # what the TLS proxy in front sets


def test_production_serves_https_only_with_hsts_secure_cookies_and_the_security_headers(production_app):
    expert = ExpertFactory(user__email="prod@lumira.local")
    # Hashed as production hashes (the test settings use a fast MD5 hasher that production does not accept).
    expert.user.password = PBKDF2PasswordHasher().encode("expert-password-123", PBKDF2PasswordHasher().salt())
    expert.user.save(update_fields=["password"])
    http = requests.Session()

    plain = http.get(production_app + "/health/?format=json", allow_redirects=False, timeout=10)
    secure = http.get(production_app + "/health/?format=json", headers=HTTPS, allow_redirects=False, timeout=10)

    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://127.0.0.1")
    assert secure.status_code in (200, 500)  # the answer's content is health's business; its headers are ours
    headers = secure.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"

    # Signing in to the desk: the session and CSRF cookies are Secure (and the session one HttpOnly).
    token = secrets.token_hex(16)
    http.cookies.set("csrftoken", token)
    signed_in = http.post(
        production_app + "/desk/login/", data={"email": expert.email, "password": "expert-password-123",
                                               "csrfmiddlewaretoken": token},
        headers={**HTTPS, "Referer": production_app.replace("http://", "https://") + "/desk/login/"},
        allow_redirects=False, timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text[:300]
    cookies = {cookie.name: cookie for cookie in signed_in.cookies}
    assert cookies["sessionid"].secure and cookies["sessionid"].has_nonstandard_attr("HttpOnly")
    assert cookies["csrftoken"].secure  # rotated at sign-in
    assert "samesite=lax" in signed_in.headers["Set-Cookie"].lower()


def test_the_admin_is_served_under_its_configured_prefix_only_and_behind_the_staff_login(production_app):
    http = requests.Session()

    admin = http.get(f"{production_app}/{ADMIN_PREFIX}", headers=HTTPS, allow_redirects=False, timeout=10)
    default = http.get(f"{production_app}/admin/", headers=HTTPS, allow_redirects=False, timeout=10)

    assert admin.status_code == 302 and admin.headers["Location"].startswith(f"/{ADMIN_PREFIX}login/")
    assert default.status_code == 404


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


def test_production_logs_are_json_lines_with_secrets_redacted():
    code = (
        "import logging; logging.getLogger('lumira.test').warning("
        "'paid with %s, key %s', 'pi_3Nabc_secret_xyz123', 'sk_live_51Habcdefghijk')"
    )

    result = _manage("shell", "-c", code, **_production_env())

    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is a JSON document
    record = next(record for record in records if record["name"] == "lumira.test")
    assert record["levelname"] == "WARNING" and record["asctime"]
    assert record["message"] == "paid with [redacted-client-secret], key [redacted-key]"


@pytest.mark.parametrize(
    "live_key",
    [{"STRIPE_LIVE_SECRET_KEY": "sk_live_51Habcdefghijklmnop"}, {"STRIPE_PUBLISHABLE_KEY": "pk_live_51Habcdefghijk"},
     {"STRIPE_TEST_SECRET_KEY": "sk_live_51Habcdefghijklmnop"}],
    ids=["live-secret-key", "live-publishable-key", "live-key-in-the-test-slot"],
)
def test_debug_is_refused_whenever_a_live_stripe_key_is_configured(live_key):
    env = {k: v for k, v in os.environ.items() if k not in UNSAFE_HERE}
    result = _manage("check", **{**env, "LUMIRA_ENV": "dev", "DJANGO_DEBUG": "true", "STRIPE_LIVE_MODE": "false",
                                 **live_key})

    assert result.returncode != 0
    assert "DEBUG must never be on with live Stripe keys" in result.stderr
