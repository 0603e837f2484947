"""compose.yaml: n8n gets only what its workflow needs, never Lumira's secrets (issue 11), and what it needs to
tell Lumira about a request it could not verify (issue 13)."""

import re
from pathlib import Path

import pytest
import yaml

from experts import signing
from tests.experts.helpers import processing
from tests.experts.n8n_harness import (
    FAILURE,
    VERIFY,
    WEBHOOK,
    lumira_request,
    needs_node,
    output,
    run_code,
    signed_by_n8n,
    webhook_item,
)

ROOT = Path(__file__).resolve().parents[2]
SERVICES = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
N8N_NEEDS = {"N8N_WEBHOOK_SECRET", "N8N_CALLBACK_SECRET", "LUMIRA_CALLBACK_BASE"}
LUMIRA_SECRETS = {
    "DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY_FALLBACKS", "STRIPE_LIVE_SECRET_KEY", "STRIPE_TEST_SECRET_KEY",
    "STRIPE_PUBLISHABLE_KEY", "FIELD_ENCRYPTION_KEYS", "FIELD_ENCRYPTION_SALT", "DATABASE_URL", "EMAIL_HOST_PASSWORD",
    "REDIS_URL", "CELERY_BROKER_URL", "CACHE_URL",
    # Lumira's address for n8n's webhook: n8n reads this very name as its own base URL.
    "N8N_WEBHOOK_URL",
}


def _environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {name: str(value) for name, value in env.items()}


def _lumira_settings() -> set[str]:
    """Every variable .env.example documents for Lumira."""
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_n8n_gets_no_env_file_and_none_of_lumiras_settings_but_its_two_signing_secrets():
    n8n = SERVICES["n8n"]
    env = _environment(n8n)
    # Variables a value pulls in by interpolation (${NAME}) count as handed over too.
    interpolated = {name for value in env.values() for name in re.findall(r"\$\{?([A-Za-z_]\w*)", value)}

    assert "env_file" not in n8n
    assert set(env) >= N8N_NEEDS
    assert (set(env) | interpolated) & LUMIRA_SECRETS == set()
    assert (set(env) | interpolated) & (_lumira_settings() - N8N_NEEDS) == set()
    assert _lumira_settings() >= LUMIRA_SECRETS  # the names checked are the ones Lumira really reads


def test_no_service_running_n8n_gets_lumiras_env_file_or_settings():
    """The one-shot import runs n8n's image (and its Code-node runtime) too."""
    n8n_services = {name: service for name, service in SERVICES.items()
                    if str(service.get("image", "")).startswith("n8nio/n8n")}

    assert {"n8n", "n8n-import"} <= set(n8n_services)
    for name, service in n8n_services.items():
        env = _environment(service)
        interpolated = {var for value in env.values() for var in re.findall(r"\$\{?([A-Za-z_]\w*)", value)}
        assert "env_file" not in service, name
        assert (set(env) | interpolated) & (_lumira_settings() - N8N_NEEDS) == set(), name


def test_lumiras_own_services_still_get_the_env_file():
    assert all(SERVICES[name].get("env_file") == ".env" for name in ("web", "worker", "beat"))


def test_n8n_publishes_no_port_and_its_editor_is_reachable_only_on_loopback_under_the_dev_profile():
    publishing = {
        name: service for name, service in SERVICES.items()
        if any(str(port).split(":")[-1].split("/")[0] == "5678" for port in service.get("ports", []))
    }

    assert "ports" not in SERVICES["n8n"]
    assert publishing, "the dev profile should still offer the n8n editor"
    for service in publishing.values():
        assert service.get("profiles") == ["dev"]
        assert all(str(port).startswith("127.0.0.1:") for port in service["ports"])


@needs_node
@pytest.mark.django_db
def test_in_compose_a_wrong_webhook_secret_is_called_back_to_web_and_good_requests_still_pass(tmp_path, settings, expert):
    """Without LUMIRA_CALLBACK_BASE the failure branch may not follow an unverified callbackUrl: the order would
    wait, "processing" with no error, for the sweep. With compose's value both paths work."""
    settings.N8N_CALLBACK_BASE_URL = _environment(SERVICES["web"])["N8N_CALLBACK_BASE_URL"]
    n8n_env = {name: value for name, value in _environment(SERVICES["n8n"]).items() if "$" not in value}
    order = processing(expert)
    body = lumira_request(order)
    good = run_code(tmp_path, VERIFY, [webhook_item(body, signing.signed_headers(settings.N8N_WEBHOOK_SECRET, body))],
                    env=n8n_env)
    received = webhook_item(body, signing.signed_headers("not the secret Lumira has", body))
    refused = {"json": {**received["json"], "error": "Signature Lumira invalide"}}

    failure = output(run_code(tmp_path, FAILURE, [refused], nodes={WEBHOOK: [[received]], VERIFY: [[], [refused]]},
                              env=n8n_env))

    assert output(good)["callbackUrl"] == "http://web:8000/api/expert/n8n-callback"
    assert failure["callbackUrl"] == "http://web:8000/api/expert/n8n-callback"
    assert signed_by_n8n(failure) == {"orderId": str(order.pk), "attemptId": str(order.generation_attempt_id),
                                      "success": False, "error": "Signature Lumira invalide"}
