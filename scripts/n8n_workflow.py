"""Build n8n/lumira-generation.json from its description here and the Code nodes' sources in n8n/code/.

The JSON is what n8n imports; the JavaScript lives in files so that it can be read, linted and tested. Run
`python scripts/n8n_workflow.py` after editing either; `--check` fails when the JSON is out of date
(tests/experts/test_n8n_workflow.py asserts the same).
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / "n8n" / "lumira-generation.json"
CODE = ROOT / "n8n" / "code"

WORKFLOW_ID = "LumiraGeneration"
CREDENTIAL = {"id": "LumiraLLM", "name": "Lumira LLM (OpenAI-compatible)"}
MODEL_TIMEOUT_MS = 120_000

WEBHOOK = "Webhook Lumira"
VERIFY = "Vérifier la signature"
CHAIN = "Écrire la lecture"
MODEL = "Modèle OpenAI"
SIGN = "Signer le rappel"
FAILURE = "Signer l'échec"
CALLBACK = "Rappeler Lumira"
ANSWER = "Réponse de Lumira"

# Each Code node runs alone in n8n: a helper two nodes share (origin.js) goes into the code of each.
CODE_FILES = {
    VERIFY: ("origin.js", "verify.js"), SIGN: ("sign.js",), FAILURE: ("origin.js", "failure.js"), ANSWER: ("answer.js",)
}


def _code(name: str, x: int, y: int, node_id: str, *, error_output: bool) -> dict:
    node = {
        "parameters": {"jsCode": "\n".join((CODE / file).read_text() for file in CODE_FILES[name])},
        "id": node_id, "name": name, "type": "n8n-nodes-base.code", "typeVersion": 2, "position": [x, y],
    }
    if error_output:
        node["onError"] = "continueErrorOutput"
    return node


def nodes() -> list[dict]:
    return [
        {
            "parameters": {
                "httpMethod": "POST", "path": "lumira-generation", "responseMode": "onReceived",
                "options": {"rawBody": True},
            },
            "id": "2f0c2a4e-6d0b-4a77-9b7e-0c6a3d1e9a01", "name": WEBHOOK, "type": "n8n-nodes-base.webhook",
            "typeVersion": 2, "position": [0, 0], "webhookId": "7d3f0b52-1c0e-4e8a-a1f4-5b0d9c6e2f10",
        },
        _code(VERIFY, 240, 0, "5b1e7c3a-2f4d-4c9e-8a6b-1d2e3f4a5b02", error_output=True),
        {
            "parameters": {
                "promptType": "define",
                "text": "={{ $json.llm.prompt }}",
                "messages": {"messageValues": [{"type": "SystemMessagePromptTemplate", "message": "={{ $json.llm.system }}"}]},
                "batching": {},
            },
            "id": "9c4d2e1f-3a5b-4d6c-9e7f-2a3b4c5d6e03", "name": CHAIN, "type": "@n8n/n8n-nodes-langchain.chainLlm",
            "typeVersion": 1.9, "position": [500, 0], "onError": "continueErrorOutput",
        },
        {
            "parameters": {
                "model": {"__rl": True, "mode": "id", "value": "={{ $json.llm.model }}"},
                "responsesApiEnabled": False,
                "options": {
                    "extraBody": "={{ $json.llm.extraBody }}",
                    "timeout": MODEL_TIMEOUT_MS,
                    "maxRetries": 0,
                },
            },
            "id": "3d5e7f90-4b6c-4e8d-9f0a-1b2c3d4e5f06", "name": MODEL, "type": "@n8n/n8n-nodes-langchain.lmChatOpenAi",
            "typeVersion": 1.3, "position": [500, 220], "credentials": {"openAiApi": CREDENTIAL},
        },
        _code(SIGN, 780, -100, "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c04", error_output=True),
        _code(FAILURE, 780, 140, "7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d07", error_output=False),
        {
            "parameters": {
                "method": "POST", "url": "={{ $json.callbackUrl }}", "sendHeaders": True,
                "headerParameters": {"parameters": [
                    {"name": "X-Lumira-Timestamp", "value": "={{ $json.timestamp }}"},
                    {"name": "X-Lumira-Signature", "value": "={{ $json.signature }}"},
                ]},
                "sendBody": True, "contentType": "raw", "rawContentType": "application/json",
                "body": "={{ $json.body }}",
                # Never an error on an HTTP status: only network failures are retried (see answer.js).
                "options": {"timeout": 10000, "response": {"response": {"neverError": True, "fullResponse": True}}},
            },
            "id": "6e7f8a9b-0c1d-4e2f-a3b4-c5d6e7f8a905", "name": CALLBACK, "type": "n8n-nodes-base.httpRequest",
            "typeVersion": 4.2, "position": [1060, 0], "retryOnFail": True, "maxTries": 3, "waitBetweenTries": 5000,
        },
        _code(ANSWER, 1300, 0, "8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e08", error_output=False),
    ]


def _to(*targets: str, kind: str = "main") -> list[dict]:
    return [{"node": target, "type": kind, "index": 0} for target in targets]


def connections() -> dict:
    return {
        WEBHOOK: {"main": [_to(VERIFY)]},
        VERIFY: {"main": [_to(CHAIN), _to(FAILURE)]},  # output 1: the check's error output
        MODEL: {"ai_languageModel": [_to(CHAIN, kind="ai_languageModel")]},
        CHAIN: {"main": [_to(SIGN), _to(FAILURE)]},
        SIGN: {"main": [_to(CALLBACK), _to(FAILURE)]},
        FAILURE: {"main": [_to(CALLBACK)]},
        CALLBACK: {"main": [_to(ANSWER)]},
    }


def workflow() -> dict:
    return {
        "id": WORKFLOW_ID,
        "name": "Lumira — génération d'une lecture",
        "nodes": nodes(),
        "connections": connections(),
        "active": False,
        "settings": {"executionOrder": "v1", "saveDataErrorExecution": "all", "saveDataSuccessExecution": "all"},
        "pinData": {},
        "meta": {"templateCredsSetupCompleted": True, "exportedFrom": "n8n 2.41.1"},
        "tags": [],
    }


def rendered() -> str:
    return json.dumps(workflow(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    if "--check" in sys.argv:
        if WORKFLOW.read_text() != rendered():
            sys.exit(f"{WORKFLOW} is out of date: run python scripts/n8n_workflow.py")
    else:
        WORKFLOW.write_text(rendered())
        print(f"wrote {WORKFLOW}")
