"""compose.yaml runs as shipped (issue 16). No Docker engine or compose v2 binary exists on this machine (Debian
has only docker-compose 1.29, which predates `dockerfile_inline` and `required: false`), so the file is
validated against the compose-spec JSON schema that check-jsonschema bundles, then checked for what
`docker compose up` needs: order of start, one-shot jobs, in-network URLs, healthchecks, shared scripts."""

import json
import re
import subprocess
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
ONE_SHOT = {"migrate", "stripe_bootstrap", "n8n-import"}
APP = ("web", "worker", "beat")


def _compose_spec() -> dict:
    schema = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    return json.loads(schema.read_text())


def _depends_on(service: dict) -> dict:
    depends = service.get("depends_on") or {}
    return {name: {"condition": "service_started"} for name in depends} if isinstance(depends, list) else depends


def _env(name: str) -> dict:
    return {key: str(value) for key, value in (SERVICES[name].get("environment") or {}).items()}


def test_compose_yaml_is_valid_against_the_compose_specification():
    jsonschema.validate(COMPOSE, _compose_spec())


def test_the_schema_check_would_catch_a_misspelt_key():
    broken = {"services": {"web": {"image": "x", "depends_on": {"db": {"condition": "service_finished"}}}}}

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, _compose_spec())


def test_every_dependency_names_a_service_and_optional_ones_are_only_the_dev_profile_jobs():
    for name, service in SERVICES.items():
        for target, rule in _depends_on(service).items():
            assert target in SERVICES, f"{name} depends on unknown {target}"
            if rule.get("required") is False:
                assert SERVICES[target].get("profiles") == ["dev"], f"{name} → {target}"
            else:
                # A required dependency on a profile-only service would make the default `up` fail.
                assert "profiles" not in SERVICES[target] or service.get("profiles") == SERVICES[target]["profiles"]


def test_web_worker_and_beat_start_after_migrate_and_stripe_bootstrap_have_completed():
    for name in APP:
        depends = _depends_on(SERVICES[name])
        assert depends["migrate"] == {"condition": "service_completed_successfully"}
        assert depends["stripe_bootstrap"] == {"condition": "service_completed_successfully", "required": False}
        assert depends["postgres"]["condition"] == depends["redis"]["condition"] == "service_healthy"
    assert SERVICES["migrate"]["command"] == ["migrate"]
    assert SERVICES["stripe_bootstrap"]["profiles"] == ["dev"]
    assert _depends_on(SERVICES["stripe_bootstrap"])["localstripe"] == {"condition": "service_healthy"}


def test_webs_healthcheck_asks_as_the_tls_proxy_so_the_https_redirect_does_not_answer_it():
    check = " ".join(SERVICES["web"]["healthcheck"]["test"])

    assert "http://web:8000/health/" in check and "'X-Forwarded-Proto': 'https'" in check


def test_one_shot_jobs_are_not_restarted_and_every_long_running_service_has_a_healthcheck():
    for name, service in SERVICES.items():
        if name in ONE_SHOT:
            assert service.get("restart") == "no" and "healthcheck" not in service, name
        else:
            assert service["healthcheck"]["test"][0] in {"CMD", "CMD-SHELL"}, name


def test_n8n_is_the_version_the_workflow_was_exported_from_with_its_data_kept_and_the_workflow_imported_first():
    workflow_id = json.loads((ROOT / "n8n" / "lumira-generation.json").read_text())["id"]
    importer = SERVICES["n8n-import"]

    assert SERVICES["n8n"]["image"] == importer["image"] == "n8nio/n8n:2.41.1"
    assert "n8n_data:/home/node/.n8n" in SERVICES["n8n"]["volumes"] and "n8n_data" in COMPOSE["volumes"]
    assert "n8n_data:/home/node/.n8n" in importer["volumes"]
    script = " ".join(importer["command"])
    assert "n8n import:workflow --input=/workflows/lumira-generation.json" in script
    assert f"n8n publish:workflow --id={workflow_id}" in script
    assert _depends_on(SERVICES["n8n"])["n8n-import"] == {"condition": "service_completed_successfully"}
    assert "env_file" not in importer


def test_service_to_service_urls_use_compose_names_never_the_hosts_loopback():
    app = _env("web")

    assert app["N8N_WEBHOOK_URL"] == "http://n8n:5678/webhook/lumira-generation"
    assert app["N8N_CALLBACK_BASE_URL"] == "http://web:8000"
    assert app["DATABASE_URL"].startswith("postgres://lumira:lumira@postgres:5432/")
    assert app["REDIS_URL"].startswith("redis://redis:6379/")
    assert app["DJANGO_ALLOWED_HOSTS"].endswith(",web")
    assert _env("stripe_bootstrap")["STRIPE_API_BASE"] == "http://localstripe:8420"
    assert SERVICES["stripe_bootstrap"]["command"] == ["stripe-bootstrap", "--base-url", "http://web:8000"]
    for name in (*APP, "migrate", "stripe_bootstrap"):
        assert not any("127.0.0.1" in value or "localhost" in value.split(",")[0] for key, value in _env(name).items()
                       if key != "DJANGO_ALLOWED_HOSTS"), name


def test_the_callback_url_n8n_gets_is_built_on_the_callback_base(db, settings):
    from experts.generation_request import generation_request_for
    from experts.payload import generation_payload
    from tests.factories import paid_order

    settings.N8N_CALLBACK_BASE_URL = "http://web:8000"
    order = paid_order()

    request = generation_request_for(order)
    payload = generation_payload(order, request, attempt_id="00000000-0000-0000-0000-000000000001")

    assert payload["callbackUrl"] == "http://web:8000/api/expert/n8n-callback"


def test_the_image_and_the_makefile_run_the_same_entrypoint_script():
    dockerfile = (ROOT / "Dockerfile").read_text()
    makefile = (ROOT / "Makefile").read_text()
    script = (ROOT / "scripts" / "entrypoint.sh").read_text()
    commands = set(re.findall(r"^  ([a-z-]+)\)$", script, flags=re.MULTILINE))

    assert 'ENTRYPOINT ["bash", "/app/scripts/entrypoint.sh"]' in dockerfile
    assert "bash scripts/entrypoint.sh" in makefile
    for target in ("migrate", "web", "worker", "beat"):
        assert re.search(rf"^\t\$\(ENTRYPOINT\) {target}$", makefile, flags=re.MULTILINE), target
    assert "scripts/entrypoint.sh migrate" in (ROOT / "scripts" / "demo.sh").read_text()
    for name in (*APP, "migrate", "stripe_bootstrap"):
        assert SERVICES[name]["command"][0] in commands, name


def test_the_entrypoint_refuses_an_unknown_command_with_its_usage():
    result = subprocess.run(["bash", str(ROOT / "scripts" / "entrypoint.sh"), "nonsense"], capture_output=True, text=True)

    assert result.returncode == 64
    assert "usage: scripts/entrypoint.sh migrate|stripe-bootstrap|web|worker|beat" in result.stderr


def test_the_entrypoint_migrate_runs_manage_py_migrate_with_the_given_python(tmp_path):
    fake = tmp_path / "python"
    fake.write_text('#!/bin/sh\necho "ran: $*"\n')
    fake.chmod(0o755)

    result = subprocess.run(["bash", str(ROOT / "scripts" / "entrypoint.sh"), "migrate", "-v", "0"],
                            capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "PYTHON": str(fake)})

    assert result.stdout.strip() == "ran: manage.py migrate --noinput -v 0"
