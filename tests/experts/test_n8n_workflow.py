"""The shipped n8n workflow: its Code nodes, run with Node.js, accept what Lumira signs and produce a callback
Lumira accepts."""

import base64
import itertools
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from experts import signing
from experts.payload import encode, generation_payload
from orders.models import OrderStatus
from tests.experts.helpers import processing

WORKFLOW = Path(__file__).resolve().parents[2] / "n8n" / "lumira-generation.json"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")

# Runs one Code node the way n8n does: the code is the body of an async function with $input and $env.
HARNESS = r"""
const fs = require('fs');
const [codeFile, inputFile] = process.argv.slice(2);
const items = JSON.parse(fs.readFileSync(inputFile, 'utf8'));
const $input = { first: () => items[0], all: () => items };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction('$input', '$env', 'require', fs.readFileSync(codeFile, 'utf8'))($input, process.env, require)
  .then((out) => process.stdout.write(JSON.stringify(out)))
  .catch((error) => { process.stderr.write(String(error.message)); process.exit(3); });
"""


def workflow() -> dict:
    return json.loads(WORKFLOW.read_text())


def node(name: str) -> dict:
    return next(n for n in workflow()["nodes"] if n["name"] == name)


def run_code(tmp_path: Path, name: str, items: list[dict]) -> subprocess.CompletedProcess:
    (tmp_path / "harness.js").write_text(HARNESS)
    (tmp_path / "code.js").write_text(node(name)["parameters"]["jsCode"])
    (tmp_path / "input.json").write_text(json.dumps(items))
    env = {"N8N_WEBHOOK_SECRET": settings.N8N_WEBHOOK_SECRET, "N8N_CALLBACK_SECRET": settings.N8N_CALLBACK_SECRET}
    return subprocess.run(
        [NODE, str(tmp_path / "harness.js"), str(tmp_path / "code.js"), str(tmp_path / "input.json")],
        capture_output=True, text=True, env=env, timeout=20, check=False,
    )


def webhook_item(body: bytes, headers: dict) -> dict:
    """What the Webhook node outputs with "Raw Body" on: lower-cased headers, the body in binary.data."""
    return {
        "json": {"headers": {key.lower(): value for key, value in headers.items()}, "body": json.loads(body)},
        "binary": {"data": {"data": base64.b64encode(body).decode(), "mimeType": "application/json"}},
    }


def test_the_workflow_chains_webhook_check_compose_sign_and_raw_callback():
    flow = workflow()
    names = [n["name"] for n in flow["nodes"]]
    assert names == ["Webhook Lumira", "Vérifier la signature", "Composer la lecture", "Signer le rappel", "Rappeler Lumira"]
    for first, second in itertools.pairwise(names):
        assert flow["connections"][first]["main"][0][0]["node"] == second
    webhook = node("Webhook Lumira")["parameters"]
    assert (webhook["path"], webhook["responseMode"], webhook["options"]["rawBody"]) == ("lumira-generation", "onReceived", True)
    callback = node("Rappeler Lumira")["parameters"]
    assert (callback["contentType"], callback["rawContentType"]) == ("raw", "application/json")
    assert callback["body"] == "={{ $json.body }}"
    assert {h["name"] for h in callback["headerParameters"]["parameters"]} == {signing.TIMESTAMP_HEADER, signing.SIGNATURE_HEADER}


@needs_node
@pytest.mark.django_db
def test_the_workflow_checks_lumiras_signature(tmp_path, expert):
    order = processing(expert)
    body = encode(generation_payload(order, attempt_id=order.generation_attempt_id))
    good = signing.signed_headers(settings.N8N_WEBHOOK_SECRET, body)

    accepted = run_code(tmp_path, "Vérifier la signature", [webhook_item(body, good)])
    tampered = run_code(tmp_path, "Vérifier la signature", [webhook_item(body.replace(b"Camille", b"Mallory"), good)])
    wrong_key = run_code(tmp_path, "Vérifier la signature", [webhook_item(body, signing.signed_headers("autre", body))])
    stale = run_code(tmp_path, "Vérifier la signature",
                     [webhook_item(body, signing.signed_headers(settings.N8N_WEBHOOK_SECRET, body, now=time.time() - 600))])
    non_ascii = {**good, signing.SIGNATURE_HEADER: good[signing.SIGNATURE_HEADER][:-1] + "é"}
    malformed = run_code(tmp_path, "Vérifier la signature", [webhook_item(body, non_ascii)])

    assert accepted.returncode == 0, accepted.stderr
    assert json.loads(accepted.stdout)[0]["json"]["attemptId"] == str(order.generation_attempt_id)
    for refused in (tampered, wrong_key, stale, malformed):
        assert refused.returncode == 3 and "Signature Lumira" in refused.stderr


@needs_node
@pytest.mark.django_db
def test_the_callback_the_workflow_signs_is_accepted_by_lumira(tmp_path, expert):
    order = processing(expert, level=4, service="vip", question="Quel chemin ?")
    payload = generation_payload(order, attempt_id=order.generation_attempt_id)

    composed = run_code(tmp_path, "Composer la lecture", [{"json": payload}])
    assert composed.returncode == 0, composed.stderr
    signed = run_code(tmp_path, "Signer le rappel", json.loads(composed.stdout))
    assert signed.returncode == 0, signed.stderr
    request = json.loads(signed.stdout)[0]["json"]

    assert request["callbackUrl"] == "http://127.0.0.1:8000/api/expert/n8n-callback"
    response = Client().post(
        "/api/expert/n8n-callback", data=request["body"].encode(), content_type="application/json",
        HTTP_X_LUMIRA_TIMESTAMP=request["timestamp"], HTTP_X_LUMIRA_SIGNATURE=request["signature"],
    )
    assert response.status_code == 200, response.content
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_VALIDATION
    assert all(order.generated_content.values())  # level 4: every part
    assert "Quel chemin ?" in order.generated_content["reading"]


@needs_node
@pytest.mark.django_db
def test_a_revision_composed_by_the_workflow_answers_the_rejection(tmp_path, expert):
    order = processing(expert, level=1, service="basic")
    payload = {**generation_payload(order, attempt_id=order.generation_attempt_id),
               "revision": {"number": 1, "rejectionReason": "Plus de douceur", "validationNotes": "", "previousContent": {}}}

    composed = json.loads(run_code(tmp_path, "Composer la lecture", [{"json": payload}]).stdout)[0]["json"]

    assert composed["success"] is True
    assert "Plus de douceur" in composed["content"]["reading"]
    assert composed["content"]["ritual"] == "" and composed["content"]["mandalaSvg"] == ""  # level 1
