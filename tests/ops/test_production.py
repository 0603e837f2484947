"""Production settings: strict by default, and clean under `check --deploy`."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    unsafe_here = {"LUMIRA_ENV", "DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set by browser tests
    clean = {k: v for k, v in os.environ.items() if k not in unsafe_here}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


PRODUCTION = {
    "LUMIRA_ENV": "prod",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "FIELD_ENCRYPTION_KEYS": f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}",
    "DJANGO_ALLOWED_HOSTS": "lumira.example",
    "STRIPE_TEST_SECRET_KEY": "sk_test_x",
}


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "django-insecure-" + "x" * 50}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_DEBUG": "true"}, "DJANGO_DEBUG"),
        ({"FIELD_ENCRYPTION_KEYS": ""}, "FIELD_ENCRYPTION_KEYS"),
        ({"FIELD_ENCRYPTION_KEYS": "bHVtaXJhLWRldi1vbmx5LWZpZWxkLWtleS0wMDAwMDA="}, "FIELD_ENCRYPTION_KEYS"),
        ({"FIELD_ENCRYPTION_KEYS": "not-a-fernet-key"}, "not a Fernet key"),
        ({"LUMIRA_ENV": "dev", "DJANGO_DEBUG": "true", "STRIPE_LIVE_MODE": "true"}, "live Stripe"),
    ],
    ids=["no-secret-key", "insecure-secret-key", "debug", "no-encryption-keys", "dev-encryption-key",
         "malformed-encryption-key", "debug-with-live-stripe"],
)
def test_production_refuses_to_start_with_an_unsafe_setting(override, message):
    result = _manage("check", **{**PRODUCTION, **override})
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
