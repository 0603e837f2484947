"""Running the shipped n8n workflow without n8n: its JSON read node by node, a Code node run with Node.js the way
n8n runs it ($input, $env and $), Lumira's signed request as the Webhook node outputs it, and the callback checked
and posted the way Lumira receives it (the tests: test_n8n_workflow.py)."""

import base64
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from experts import signing
from experts.generation_request import generation_request_for
from experts.payload import encode, generation_payload
from scripts import n8n_workflow

WORKFLOW = Path(n8n_workflow.WORKFLOW)
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
WEBHOOK, VERIFY, CHAIN, MODEL = n8n_workflow.WEBHOOK, n8n_workflow.VERIFY, n8n_workflow.CHAIN, n8n_workflow.MODEL
SIGN, FAILURE, CALLBACK, ANSWER = n8n_workflow.SIGN, n8n_workflow.FAILURE, n8n_workflow.CALLBACK, n8n_workflow.ANSWER
CALLBACK_URL = "http://127.0.0.1:8000/api/expert/n8n-callback"

# `$('Node').first(branch)` reads that node's output branch (undefined when empty), and throws when the node
# did not run, as in n8n. Globals n8n's Code sandbox lacks (URL) are hidden, so that code relying on them fails here.
HARNESS = r"""
const fs = require('fs');
const [codeFile, inputFile, nodesFile] = process.argv.slice(2);
const items = JSON.parse(fs.readFileSync(inputFile, 'utf8'));
const outputs = JSON.parse(fs.readFileSync(nodesFile, 'utf8'));
const $input = { first: () => items[0], all: () => items };
const $ = (name) => {
  if (!(name in outputs)) throw new Error(`Node '${name}' hasn't been executed`);
  return { first: (branch = 0) => (outputs[name][branch] || [])[0] };
};
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction('$input', '$env', '$', 'require', 'URL', fs.readFileSync(codeFile, 'utf8'))(
  $input, process.env, $, require, undefined)
  .then((out) => process.stdout.write(JSON.stringify(out)))
  .catch((error) => { process.stderr.write(String(error.message)); process.exit(3); });
"""


def workflow() -> dict:
    return json.loads(WORKFLOW.read_text())


def node(name: str) -> dict:
    return next(n for n in workflow()["nodes"] if n["name"] == name)


def targets(source: str, output: int, kind: str = "main") -> list[str]:
    return [link["node"] for link in workflow()["connections"][source][kind][output]]


def run_code(tmp_path: Path, name: str, items: list[dict], *, nodes: dict | None = None, env: dict | None = None):
    (tmp_path / "harness.js").write_text(HARNESS)
    (tmp_path / "code.js").write_text(node(name)["parameters"]["jsCode"])
    (tmp_path / "input.json").write_text(json.dumps(items))
    (tmp_path / "nodes.json").write_text(json.dumps(nodes or {}))
    environment = {"N8N_WEBHOOK_SECRET": settings.N8N_WEBHOOK_SECRET, "N8N_CALLBACK_SECRET": settings.N8N_CALLBACK_SECRET,
                   **(env or {})}
    return subprocess.run(
        [NODE, str(tmp_path / "harness.js"), str(tmp_path / "code.js"), str(tmp_path / "input.json"),
         str(tmp_path / "nodes.json")],
        capture_output=True, text=True, env=environment, timeout=20, check=False,
    )


def output(result) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)[0]["json"]


def webhook_item(body: bytes, headers: dict) -> dict:
    """What the Webhook node outputs with "Raw Body" on: lower-cased headers, the raw bytes in binary.data."""
    return {
        "json": {"headers": {key.lower(): value for key, value in headers.items()}, "body": json.loads(body)},
        "binary": {"data": {"data": base64.b64encode(body).decode(), "mimeType": "application/json"}},
    }


def lumira_request(order) -> bytes:
    return encode(generation_payload(order, generation_request_for(order), attempt_id=order.generation_attempt_id))


def verified(tmp_path, order, **env) -> dict:
    body = lumira_request(order)
    return output(run_code(tmp_path, VERIFY, [webhook_item(body, signing.signed_headers(settings.N8N_WEBHOOK_SECRET, body))],
                           env=env))


def callback_to_lumira(request: dict):
    return Client().post(
        "/api/expert/n8n-callback", data=request["body"].encode(), content_type="application/json",
        HTTP_X_LUMIRA_TIMESTAMP=request["timestamp"], HTTP_X_LUMIRA_SIGNATURE=request["signature"],
    )


def signed_by_n8n(request: dict) -> dict:
    """The callback's body, once Lumira's own check accepts its signature (experts.signing)."""
    signing.verify(settings.N8N_CALLBACK_SECRET, timestamp=request["timestamp"], signature=request["signature"],
                   body=request["body"].encode(), max_age=settings.N8N_CALLBACK_MAX_AGE_SECONDS)
    return json.loads(request["body"])
