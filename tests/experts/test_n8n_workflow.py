"""The shipped n8n workflow (n8n/lumira-generation.json), without n8n: its wiring read from the JSON, and its
Code nodes run with Node.js the way n8n runs them (the body of an async function with $input, $env and $).
`make n8n-check` runs the same workflow in a real n8n 2.41.1."""

import json
import time

import pytest
from django.conf import settings

from experts import signing
from experts.generation_request import generation_request_for
from experts.models import DeadLetter
from experts.payload import encode, generation_payload
from orders.models import OrderStatus
from scripts import n8n_workflow
from tests.experts.helpers import processing, sample_content
from tests.experts.n8n_harness import (
    ANSWER,
    CALLBACK,
    CALLBACK_URL,
    CHAIN,
    FAILURE,
    MODEL,
    SIGN,
    VERIFY,
    WEBHOOK,
    WORKFLOW,
    callback_to_lumira,
    lumira_request,
    needs_node,
    node,
    output,
    run_code,
    signed_by_n8n,
    targets,
    verified,
    webhook_item,
    workflow,
)

# --- Wiring, from the JSON --------------------------------------------------------------------------------------


def test_the_shipped_json_is_built_from_the_code_files_and_names_its_n8n_version():
    assert WORKFLOW.read_text() == n8n_workflow.rendered()
    assert workflow()["meta"]["exportedFrom"] == "n8n 2.41.1"


def test_the_workflow_runs_webhook_then_check_then_chain_then_signing_then_the_callback():
    webhook = node(WEBHOOK)
    assert webhook["type"] == "n8n-nodes-base.webhook"
    assert (webhook["parameters"]["path"], webhook["parameters"]["responseMode"]) == ("lumira-generation", "onReceived")
    assert webhook["parameters"]["options"]["rawBody"] is True  # the signature covers the exact bytes
    assert targets(WEBHOOK, 0) == [VERIFY]
    assert targets(VERIFY, 0) == [CHAIN]
    assert targets(CHAIN, 0) == [SIGN]
    assert targets(SIGN, 0) == [CALLBACK]
    assert targets(CALLBACK, 0) == [ANSWER]
    assert (node(CHAIN)["type"], node(CHAIN)["typeVersion"]) == ("@n8n/n8n-nodes-langchain.chainLlm", 1.9)
    assert {node(name)["type"] for name in (VERIFY, SIGN, FAILURE, ANSWER)} == {"n8n-nodes-base.code"}


def test_the_chain_is_fed_lumiras_messages_and_its_model_by_an_openai_chat_model_node():
    chain, model = node(CHAIN)["parameters"], node(MODEL)
    assert targets(MODEL, 0, "ai_languageModel") == [CHAIN]
    assert workflow()["connections"][MODEL]["ai_languageModel"][0][0]["type"] == "ai_languageModel"
    assert (chain["promptType"], chain["text"]) == ("define", "={{ $json.llm.prompt }}")
    assert chain["messages"]["messageValues"] == [{"type": "SystemMessagePromptTemplate", "message": "={{ $json.llm.system }}"}]
    assert (model["type"], model["typeVersion"]) == ("@n8n/n8n-nodes-langchain.lmChatOpenAi", 1.3)
    assert model["parameters"]["responsesApiEnabled"] is False  # else it calls /v1/responses
    assert model["parameters"]["model"]["value"] == "={{ $json.llm.model }}"
    assert model["parameters"]["options"] == {"extraBody": "={{ $json.llm.extraBody }}", "timeout": 120_000, "maxRetries": 0}
    assert list(model["credentials"]) == ["openAiApi"]  # its `url` is the base URL: OpenAI, Mistral, Ollama, vLLM


def test_every_failure_leads_to_the_signed_failure_callback():
    for name in (VERIFY, CHAIN, SIGN):
        assert node(name)["onError"] == "continueErrorOutput", name
        assert targets(name, 1) == [FAILURE], name
    assert targets(FAILURE, 0) == [CALLBACK]
    assert "onError" not in node(FAILURE)  # a failure it cannot report must fail the execution, visibly


def test_the_callback_is_posted_raw_with_the_timestamp_and_signature_headers():
    callback = node(CALLBACK)["parameters"]
    assert (callback["method"], callback["url"]) == ("POST", "={{ $json.callbackUrl }}")
    assert (callback["contentType"], callback["rawContentType"]) == ("raw", "application/json")
    assert callback["body"] == "={{ $json.body }}"  # the signed string itself, never re-serialised
    assert {h["name"]: h["value"] for h in callback["headerParameters"]["parameters"]} == {
        signing.TIMESTAMP_HEADER: "={{ $json.timestamp }}", signing.SIGNATURE_HEADER: "={{ $json.signature }}",
    }
    # Resent only after a network failure: a refused callback (a 422 above all) was already counted by Lumira.
    assert node(CALLBACK)["retryOnFail"] is True
    assert callback["options"]["response"]["response"] == {"neverError": True, "fullResponse": True}


@needs_node
def test_a_callback_lumira_refuses_fails_the_execution_with_lumiras_answer(tmp_path):
    refused = {"statusCode": 422, "body": {"error": {"code": "invalid_content", "message": "Contenu invalide : reading"}}}

    failed = run_code(tmp_path, ANSWER, [{"json": refused}])
    accepted = output(run_code(tmp_path, ANSWER, [{"json": {"statusCode": 200, "body": {"status": "content_received"}}}]))

    assert failed.returncode == 3
    assert failed.stderr == 'Lumira a refusé le rappel (HTTP 422) : {"error":{"code":"invalid_content",' \
                            '"message":"Contenu invalide : reading"}}'
    assert accepted == {"statusCode": 200, "body": {"status": "content_received"}}


# --- The signature check, under Node --------------------------------------------------------------------------


@needs_node
@pytest.mark.django_db
def test_the_check_accepts_lumiras_signed_request_and_prepares_the_model_call(tmp_path, expert):
    order = processing(expert, level=3, service="vip")
    request = generation_request_for(order)

    checked = verified(tmp_path, order)

    assert checked["verified"] is True
    assert (checked["orderId"], checked["attemptId"]) == (str(order.pk), str(order.generation_attempt_id))
    assert checked["callbackUrl"] == CALLBACK_URL
    assert checked["llm"]["system"] == request.messages[0]["content"]
    assert checked["llm"]["prompt"] == request.messages[1]["content"]
    assert checked["llm"]["model"] == "gpt-4o-mini"  # the workflow's default
    assert json.loads(checked["llm"]["extraBody"]) == {"response_format": {"type": "json_schema", "json_schema": {
        "name": "lumira_reading", "schema": request.response_schema, "strict": True}}}
    assert checked["requiredKeys"] == request.response_schema["required"]


@needs_node
@pytest.mark.django_db
def test_the_check_refuses_a_tampered_body_a_wrong_key_a_stale_timestamp_and_no_signature(tmp_path, expert):
    body = lumira_request(processing(expert))
    good = signing.signed_headers(settings.N8N_WEBHOOK_SECRET, body)
    stale = signing.signed_headers(settings.N8N_WEBHOOK_SECRET, body, now=time.time() - 360)
    tampered = body.replace(b'"level":"intuitive"', b'"level":"integrale"')
    assert tampered != body

    results = {
        "tampered": run_code(tmp_path, VERIFY, [webhook_item(tampered, good)]),
        "wrong key": run_code(tmp_path, VERIFY, [webhook_item(body, signing.signed_headers("autre", body))]),
        "unsigned": run_code(tmp_path, VERIFY, [webhook_item(body, {"Content-Type": "application/json"})]),
        "stale": run_code(tmp_path, VERIFY, [webhook_item(body, stale)]),
        "no secret in n8n": run_code(tmp_path, VERIFY, [webhook_item(body, good)], env={"N8N_WEBHOOK_SECRET": ""}),
    }

    assert {name: (result.returncode, result.stdout) for name, result in results.items()} == {
        name: (3, "") for name in results
    }
    for name in ("tampered", "wrong key", "unsigned"):
        assert results[name].stderr.startswith("Signature Lumira invalide"), name
    assert "périmée" in results["stale"].stderr
    assert "N8N_WEBHOOK_SECRET manque" in results["no secret in n8n"].stderr


@needs_node
@pytest.mark.django_db
def test_the_check_holds_for_non_ascii_bodies_and_headers(tmp_path, expert):
    order = processing(expert, question="Zoë, ça évolue ? 🌙 — « oui » ou 日本")
    body = lumira_request(order)
    assert "🌙".encode() in body  # sent as UTF-8, not escaped

    accepted = verified(tmp_path, order)
    odd_header = run_code(tmp_path, VERIFY, [webhook_item(body, {
        **signing.signed_headers(settings.N8N_WEBHOOK_SECRET, body), signing.SIGNATURE_HEADER: "é" * 64})])

    assert "Zoë, ça évolue ? 🌙 — « oui » ou 日本" in accepted["llm"]["prompt"]
    assert odd_header.returncode == 3 and odd_header.stderr.startswith("Signature Lumira invalide")


@needs_node
@pytest.mark.django_db
def test_a_revision_prompt_keeps_the_first_request_the_previous_version_and_the_new_request_in_order(tmp_path, expert):
    order = processing(expert)
    request = {**generation_payload(order, generation_request_for(order), attempt_id=order.generation_attempt_id),
               "messages": [{"role": "system", "content": "Voix"}, {"role": "user", "content": "Première demande"},
                            {"role": "assistant", "content": '{"title": "V1"}'},
                            {"role": "user", "content": "Réécrivez sans citer : trop vague."}],
               "model": "mistral-small-latest"}
    body = encode(request)

    checked = output(run_code(tmp_path, VERIFY, [webhook_item(body, signing.signed_headers(settings.N8N_WEBHOOK_SECRET, body))]))

    prompt = checked["llm"]["prompt"]
    assert checked["llm"]["system"] == "Voix"
    assert prompt.index("Première demande") < prompt.index('{"title": "V1"}') < prompt.index("trop vague")
    assert "### Votre version précédente (JSON)" in prompt and "### Nouvelle demande" in prompt
    assert checked["llm"]["model"] == "mistral-small-latest"  # the request's model wins over the workflow's


@needs_node
@pytest.mark.django_db
def test_the_check_refuses_a_callback_url_outside_lumira_callback_base(tmp_path, expert):
    order = processing(expert)
    body = lumira_request(order)
    item = webhook_item(body, signing.signed_headers(settings.N8N_WEBHOOK_SECRET, body))

    elsewhere = run_code(tmp_path, VERIFY, [item], env={"LUMIRA_CALLBACK_BASE": "https://lumira.example"})
    same = run_code(tmp_path, VERIFY, [item], env={"LUMIRA_CALLBACK_BASE": "HTTP://127.0.0.1:8000/"})

    assert elsewhere.returncode == 3 and "hors de LUMIRA_CALLBACK_BASE (https://lumira.example)" in elsewhere.stderr
    assert output(same)["verified"] is True


# --- The answer's check and signing, under Node --------------------------------------------------------------


@needs_node
@pytest.mark.django_db
def test_the_models_answer_is_signed_once_and_lumira_accepts_it_as_a_version(tmp_path, expert):
    order = processing(expert, level=2, service="premium")
    checked = verified(tmp_path, order)
    content = sample_content(2, order.duration)

    signed = output(run_code(tmp_path, SIGN, [{"json": {"text": json.dumps(content, ensure_ascii=False)}}],
                             nodes={VERIFY: [[{"json": checked}]]}))

    assert signed["callbackUrl"] == CALLBACK_URL
    assert signed_by_n8n(signed) == {
        "orderId": str(order.pk), "attemptId": str(order.generation_attempt_id), "success": True, "content": content,
        "usage": {"model": "gpt-4o-mini", "promptTokens": None, "completionTokens": None},
    }
    response = callback_to_lumira(signed)
    assert response.status_code == 200, response.content
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_VALIDATION
    assert order.generated_content == content


@needs_node
@pytest.mark.django_db
def test_a_fenced_json_answer_is_accepted(tmp_path, expert):
    order = processing(expert)
    checked = verified(tmp_path, order)
    content = sample_content(2, order.duration)

    signed = output(run_code(tmp_path, SIGN, [{"json": {"text": f"```json\n{json.dumps(content)}\n```"}}],
                             nodes={VERIFY: [[{"json": checked}]]}))

    assert signed_by_n8n(signed)["content"] == content


@needs_node
@pytest.mark.django_db
def test_an_answer_that_is_not_a_json_object_with_the_levels_sections_fails_the_signing_step(tmp_path, expert):
    checked = verified(tmp_path, processing(expert))
    answers = {
        "not json": '{"title": "Une lecture", "reading": ',
        "an array": "[1, 2]",
        "no sections": json.dumps({"title": "Une lecture", "reading": "trop court"}),
    }

    results = {name: run_code(tmp_path, SIGN, [{"json": {"text": text}}], nodes={VERIFY: [[{"json": checked}]]})
               for name, text in answers.items()}

    assert {name: result.returncode for name, result in results.items()} == dict.fromkeys(answers, 3)
    assert "pas répondu en JSON valide" in results["not json"].stderr
    assert "pas un objet" in results["an array"].stderr
    assert results["no sections"].stderr.endswith("sections : archetype, ritual, audioScript.")


# --- The failure branch, under Node ----------------------------------------------------------------------------


@needs_node
@pytest.mark.django_db
def test_a_model_error_is_called_back_as_a_signed_failure_and_lumira_records_it(tmp_path, expert):
    order = processing(expert)
    checked = verified(tmp_path, order)
    chain_error = {"json": {**checked, "error": "The service was not able to process your request"}}

    failure = output(run_code(tmp_path, FAILURE, [chain_error], nodes={VERIFY: [[{"json": checked}], []]}))

    assert failure["callbackUrl"] == CALLBACK_URL
    assert signed_by_n8n(failure) == {
        "orderId": str(order.pk), "attemptId": str(order.generation_attempt_id), "success": False,
        "error": "Modèle gpt-4o-mini : The service was not able to process your request",
    }
    response = callback_to_lumira(failure)
    assert response.status_code == 200 and response.json() == {"status": "failure_recorded"}
    order.refresh_from_db()
    # A model error is a failed try: retried like a 5xx, the expert sees which try comes and why (SPEC §4).
    assert order.status == OrderStatus.PROCESSING and not DeadLetter.objects.filter(order=order).exists()
    assert order.last_error.startswith("tentative 2/") and order.last_error.endswith("not able to process your request")


@needs_node
@pytest.mark.django_db
def test_an_unusable_answer_is_called_back_as_a_failure_with_its_reason(tmp_path, expert):
    order = processing(expert)
    checked = verified(tmp_path, order)
    sign_error = {"json": {"text": "{}", "error": "Le document du modèle n'a pas les sections : title. [line 22]"}}

    failure = output(run_code(tmp_path, FAILURE, [sign_error], nodes={VERIFY: [[{"json": checked}], []]}))

    assert signed_by_n8n(failure)["error"] == "Le document du modèle n'a pas les sections : title."  # n8n's "[line …]" off


@needs_node
@pytest.mark.django_db
def test_a_bad_lumira_signature_is_called_back_only_to_the_lumira_that_n8n_knows(tmp_path, expert):
    order = processing(expert)
    body = lumira_request(order)
    received = webhook_item(body, signing.signed_headers("un autre secret", body))
    check_error = {"json": {**received["json"], "error": "Signature Lumira invalide : N8N_WEBHOOK_SECRET doit être le même."}}
    nodes = {WEBHOOK: [[received]], VERIFY: [[], [check_error]]}

    allowed = run_code(tmp_path, FAILURE, [check_error], nodes=nodes, env={"LUMIRA_CALLBACK_BASE": "http://127.0.0.1:8000"})
    no_base = run_code(tmp_path, FAILURE, [check_error], nodes=nodes)
    elsewhere = run_code(tmp_path, FAILURE, [check_error], nodes=nodes, env={"LUMIRA_CALLBACK_BASE": "https://lumira.example"})
    forged = {**received["json"], "body": {**received["json"]["body"], "callbackUrl": "http://127.0.0.1:8000@evil.example/x"}}
    disguised = run_code(tmp_path, FAILURE, [check_error], nodes={**nodes, WEBHOOK: [[{"json": forged}]]},
                         env={"LUMIRA_CALLBACK_BASE": "http://127.0.0.1:8000"})

    failure = output(allowed)
    assert signed_by_n8n(failure)["error"].startswith("Signature Lumira invalide")
    assert callback_to_lumira(failure).status_code == 200
    order.refresh_from_db()
    assert "Signature Lumira invalide" in order.last_error
    for refused in (no_base, elsewhere, disguised):  # an unverified callbackUrl could point anywhere: no request
        assert refused.returncode == 3 and "callbackUrl non vérifiée" in refused.stderr


@needs_node
def test_a_failure_without_ids_fails_the_execution_with_its_reason(tmp_path):
    check_error = {"json": {"headers": {}, "body": {}, "error": "Requête Lumira illisible : le corps n'est pas du JSON."}}

    result = run_code(tmp_path, FAILURE, [check_error], nodes={WEBHOOK: [[{"json": {"body": "pas du JSON"}}]]},
                      env={"LUMIRA_CALLBACK_BASE": "http://127.0.0.1:8000"})

    assert result.returncode == 3
    assert result.stderr == "Échec non signalé à Lumira (requête sans orderId, attemptId ou callbackUrl) : " \
                            "Requête Lumira illisible : le corps n'est pas du JSON."
