"""The steps of `make n8n-check` once n8n, Lumira and its worker run (see scripts/n8n_check.py).

The expert acts through the expert API, as the desk would; the database is read only to check the outcome
(dead letters, attempts). Needs django.setup() with the check's settings.
"""

import time
from datetime import date

import requests

from experts import services
from experts.models import DeadLetter, GenerationAttempt
from orders.models import Order, OrderStatus
from tests.experts.helpers import sample_content
from tests.factories import paid_order

PASSWORD = "n8n-check-password-123"
# A reported failure is retried like a 5xx (two tries here, 8 s apart, GENERATION_MAX_ATTEMPTS in n8n_check.py),
# then dead-lettered.
TRIES = 2
FAILURE_WITHIN_SECONDS = 30
REASON = "Trop général : parlez davantage de sa question sur le travail, avec douceur."


class ExpertAPI:
    def __init__(self, site: str, email: str) -> None:
        self.site = site
        answer = requests.post(f"{site}/api/expert/login", json={"email": email, "password": PASSWORD}, timeout=10)
        answer.raise_for_status()
        self.headers = {"Authorization": f"Bearer {answer.json()['access']}"}

    def post(self, path: str, body: dict | None = None) -> requests.Response:
        return requests.post(f"{self.site}{path}", json=body or {}, headers=self.headers, timeout=20)

    def order(self, order_id) -> dict:
        answer = requests.get(f"{self.site}/api/expert/orders/{order_id}", headers=self.headers, timeout=20)
        answer.raise_for_status()
        return answer.json()["order"]

    def wait(self, order_id, statuses: set[str], timeout: float) -> tuple[dict, float]:
        started = time.monotonic()
        while True:
            order = self.order(order_id)
            if order["status"] in statuses or time.monotonic() - started > timeout:
                return order, time.monotonic() - started
            time.sleep(0.5)


def _order(level: int, service: str, question: str) -> Order:
    return paid_order(level=level, service=service, birth_date=date(1990, 5, 17), birth_time="08:30",
                      birth_place="Lyon", question=question, objective="Trouver un travail qui a du sens.")


def _send(check, api: ExpertAPI, order: Order) -> None:
    taken = api.post(f"/api/expert/orders/{order.pk}/assign")
    sent = api.post("/api/expert/process-order", {
        "orderId": str(order.pk), "expertPrompt": "Une lecture chaleureuse, centrée sur sa question.",
        "expertInstructions": "Tutoiement interdit ; des pistes concrètes.",
    })
    check.expect(taken.status_code == 200 and sent.status_code == 202,
                 f"order {order.number}: taken ({taken.status_code}) and sent to generation ({sent.status_code})")


def _generation_and_revision(check, stub, api: ExpertAPI) -> None:
    order = _order(2, "premium", "Dois-je changer de travail cette année ?")
    stub.content = sample_content(order.level, order.duration, seed="n8n-check")
    stub.content["title"] = "Lecture écrite par le modèle (n8n)"
    _send(check, api, order)
    first, seconds = api.wait(order.pk, {OrderStatus.AWAITING_VALIDATION, OrderStatus.PAID}, 90)
    runs = first["aiRuns"]
    check.expect(first["status"] == OrderStatus.AWAITING_VALIDATION and len(first["versions"]) == 1,
                 f"generation: awaiting_validation with version 1 after {seconds:.1f}s (lastError {first['lastError']!r})")
    check.expect(first["generatedContent"].get("title") == stub.content["title"],
                 "generation: the content is the model's answer, as n8n relayed it")
    check.expect(any(run["model"] == "lumira-standin" and run["outcome"] == "succeeded" for run in runs),
                 f"generation: AI runs recorded {[(run['backend'], run['model'], run['outcome']) for run in runs]}")
    sent = stub.received[-1]
    check.expect(sent["model"] == "lumira-standin" and stub.authorizations[-1] == "Bearer sk-standin",
                 "the model named by the workflow (LUMIRA_LLM_MODEL) was called with the credential's key")
    check.expect(sent["response_format"]["type"] == "json_schema"
                 and sent["response_format"]["json_schema"]["schema"]["required"] == list(stub.content)
                 and sent["messages"] == [{"role": m["role"], "content": m["content"]}
                                          for m in first["generationRequest"]["messages"]],
                 "the model got the level's JSON schema (json_schema, strict) and Lumira's messages, word for word")

    rejected = api.post("/api/expert/validate-content", {
        "orderId": str(order.pk), "action": "reject", "rejectionReason": REASON, "validationNotes": "Plus concret.",
    })
    check.expect(rejected.status_code == 200, f"rejected with a reason ({rejected.status_code})")
    stub.content = {**stub.content, "title": "Lecture revue par le modèle (n8n)"}
    second, seconds = api.wait(order.pk, {OrderStatus.AWAITING_VALIDATION, OrderStatus.PAID}, 90)
    check.expect(second["status"] == OrderStatus.AWAITING_VALIDATION and len(second["versions"]) == 2
                 and second["generatedContent"]["title"] == stub.content["title"],
                 f"revision: version 2 awaiting validation after {seconds:.1f}s")
    prompt = stub.received[-1]["messages"][-1]["content"]
    check.expect(REASON in prompt and "Votre version précédente" in prompt,
                 "revision: the model was given the previous version and the rejection reason")

    approved = api.post("/api/expert/validate-content", {
        # `version` is the revision number the expert judged (the order's revisionCount when read): 1 here.
        "orderId": str(order.pk), "action": "approve", "validationNotes": "", "version": second["revisionCount"],
    })
    final = api.order(order.pk)
    check.expect(approved.status_code == 200 and final["status"] == OrderStatus.COMPLETED,
                 f"approved: {final['status']} ({approved.status_code})")


def _send_until_dead_letter(check, api: ExpertAPI, order) -> tuple:
    """Send the order to generation and wait (60 s at most) for its dead letter: (the letter or None, seconds)."""
    started = time.monotonic()
    _send(check, api, order)
    letter = None
    while time.monotonic() - started < 60 and letter is None:
        letter = DeadLetter.objects.filter(order=order).first()
        time.sleep(0.3)
    return letter, time.monotonic() - started


def _failure(check, api: ExpertAPI, title: str, expected: str, *, prepare) -> None:
    order = _order(1, "basic", "Quelle énergie pour ce mois ?")
    prepare(order)
    letter, seconds = _send_until_dead_letter(check, api, order)
    attempt = GenerationAttempt.objects.filter(order=order).order_by("-created_at").first()
    detail = api.order(order.pk)
    failed_runs = sum(run["outcome"] == "failed" for run in detail["aiRuns"])
    check.expect(letter is not None and expected in letter.error and seconds < FAILURE_WITHIN_SECONDS
                 and letter.tries == TRIES and failed_runs == TRIES,
                 f"{title}: success:false called back, retried, dead letter after {seconds:.1f}s — "
                 f"{letter.reason if letter else None!r} after {letter.tries if letter else 0} tries "
                 f"({failed_runs} failed AI runs): {letter.error if letter else None!r}")
    check.expect(detail["status"] == OrderStatus.PAID and expected in detail["lastError"]
                 and attempt is not None and attempt.outcome == "failed",
                 f"{title}: order back to {detail['status']}, the expert sees lastError {detail['lastError'][:110]!r}")


def _too_short(check, stub, api: ExpertAPI) -> None:
    """A document with every section but far too short: n8n relays it, Lumira answers 422, the attempt is retried
    and, at the end, dead-lettered. n8n must not resend a refused callback: one callback per model call."""
    order = _order(1, "basic", "Quelle énergie pour ce mois ?")
    short = sample_content(order.level, order.duration, seed="short")
    short["reading"] = {"intro": "Bonjour.", "sections": [{"title": "Court", "body": "Trop court."}], "closing": "Fin."}
    stub.content, before = short, len(stub.received)
    letter, seconds = _send_until_dead_letter(check, api, order)
    time.sleep(12)  # had n8n resent the refused callbacks (5 s apart), they would have landed by now
    calls = len(stub.received) - before
    runs = [(run["outcome"], run["error"][:60]) for run in api.order(order.pk)["aiRuns"]]
    check.expect(letter is not None and letter.reason == "retries_exhausted" and "reading" in letter.error,
                 f"document too short: 422, retried, dead letter after {seconds:.1f}s: "
                 f"{letter.reason if letter else None!r} {letter.error[:120] if letter else None!r}")
    answered = sum(outcome == "invalid" for outcome, _ in runs)  # one per callback Lumira received
    check.expect(calls == answered, f"document too short: {calls} model call(s), {answered} callback(s) (each refused "
                                    f"with 422): n8n resent none; AI runs {[outcome for outcome, _ in runs]}")


def run(check, stub) -> None:
    expert = services.expert_create(email="expert@n8n-check.local", name="Expert n8n-check", password=PASSWORD)
    api = ExpertAPI(check.site, expert.user.email)

    _generation_and_revision(check, stub, api)

    def model_fails(order):
        stub.script = [500] * TRIES  # the model fails every try

    def not_json(order):
        stub.script = ["bad_json"] * TRIES  # the model fails every try

    def no_sections(order):
        stub.script = ["invalid_schema"] * TRIES  # the model fails every try

    _failure(check, api, "model answering 500", "Modèle lumira-standin", prepare=model_fails)
    # The chain itself parses a json_schema answer: text that is not JSON fails there, with the parser's message.
    _failure(check, api, "model answering text that is not JSON", "JSON", prepare=not_json)
    _failure(check, api, "model answering a document without its sections", "n'a pas les sections",
             prepare=no_sections)

    _too_short(check, stub, api)

    check.restart_worker(N8N_WEBHOOK_SECRET="not-the-secret-n8n-has")
    _failure(check, api, "Lumira signing with a secret n8n does not share", "Signature Lumira invalide",
             prepare=lambda order: None)
