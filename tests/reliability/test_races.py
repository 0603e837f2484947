"""Races over real HTTP against the running site (live server: one thread and one PostgreSQL connection per
request): many calls at the same instant on one order → exactly one effect, every other call a clear 409."""

from collections import Counter

import pytest
from django.core import mail

from experts.models import GenerationAttempt
from orders.models import Order, OrderStatus
from tests.concurrency import all_at_once
from tests.experts.helpers import event_actions, in_validation
from tests.experts.n8n_stub import n8n_stub_running
from tests.factories import ExpertFactory, paid_order
from tests.reliability.helpers import api_session, browser_session

pytestmark = pytest.mark.django_db(transaction=True)

VALIDATE = "/api/expert/validate-content"


@pytest.fixture
def n8n_accepting(settings):
    """n8n accepts generation requests and answers later (never, here): a revision stays `processing`."""
    with n8n_stub_running(call_back=False) as stub:
        settings.GENERATION_BACKEND = "n8n"
        settings.N8N_WEBHOOK_URL = stub.url
        yield stub


def _codes(responses) -> Counter:
    return Counter(response.status_code for response in responses)


def test_twenty_concurrent_approvals_and_rejections_have_one_effect_and_nineteen_409(
    live_server, expert, admin_expert, n8n_accepting
):
    order = in_validation(expert)
    assert order.status == OrderStatus.AWAITING_VALIDATION and len(n8n_accepting.received) == 1
    sessions = [api_session(expert.user if index % 2 else admin_expert.user) for index in range(20)]
    bodies = [
        {"orderId": str(order.pk), "action": "approve", "validationNotes": "Belle lecture"} if index % 2
        else {"orderId": str(order.pk), "action": "reject", "rejectionReason": "Trop vague"}
        for index in range(20)
    ]

    responses = all_at_once([
        lambda http=http, body=body: http.post(live_server.url + VALIDATE, json=body, timeout=30)
        for http, body in zip(sessions, bodies, strict=True)
    ])

    assert _codes(responses) == {200: 1, 409: 19}
    refusals = [response.json()["error"] for response in responses if response.status_code == 409]
    assert {refusal["code"] for refusal in refusals} <= {"already_done", "invalid_transition"}
    assert all(refusal["message"] for refusal in refusals)
    winner = bodies[[response.status_code for response in responses].index(200)]
    order.refresh_from_db()
    actions = event_actions(order)
    assert actions.count("approved") + actions.count("rejected") == 1
    if winner["action"] == "approve":
        assert (order.status, order.revision_count) == (OrderStatus.COMPLETED, 0)
        assert len(mail.outbox) == 1 and mail.outbox[0].to == [order.client_email]
        assert len(n8n_accepting.received) == 1
    else:
        assert (order.status, order.revision_count) == (OrderStatus.PROCESSING, 1)
        assert GenerationAttempt.objects.filter(order=order).count() == 2
        roles = [message["role"] for message in n8n_accepting.received[-1]["messages"]]
        assert len(n8n_accepting.received) == 2 and roles == ["system", "user", "assistant", "user"]  # a revision
        assert mail.outbox == []
    print(f"\nraces: 20 validations (10 approve, 10 reject, 2 experts) -> {winner['action']} won, 19 x 409 "
          f"{dict(Counter(refusal['code'] for refusal in refusals))}")


def test_ten_experts_taking_one_order_at_once_through_the_api_and_the_desk_one_wins_nine_get_409(live_server):
    experts = [ExpertFactory() for _ in range(10)]
    order = paid_order()
    url_api = f"{live_server.url}/api/expert/orders/{order.pk}/assign"
    url_desk = f"{live_server.url}/desk/orders/{order.pk}/take/"
    htmx = {"HX-Request": "true", "HX-Target": f"order-row-{order.pk}"}
    calls = [
        (lambda http=api_session(expert.user): http.post(url_api, timeout=30)) if index < 5
        else (lambda http=browser_session(expert.user): http.post(url_desk, headers=htmx, timeout=30))
        for index, expert in enumerate(experts)
    ]

    responses = all_at_once(calls)

    assert _codes(responses) == {200: 1, 409: 9}
    winner = experts[[response.status_code for response in responses].index(200)]
    order.refresh_from_db()
    assert order.expert == winner
    assert event_actions(order).count("assigned") == 1
    for index, response in enumerate(responses):
        if response.status_code != 409:
            continue
        if index < 5:
            assert response.json()["error"] == {
                "code": "already_assigned", "message": "Cette commande est déjà prise par un autre expert."
            }
        else:
            assert "Cette commande est déjà prise par un autre expert." in response.text
            assert winner.name not in response.text  # the order is no longer theirs to see
    print(f"\nraces: 10 experts took one order (5 API, 5 desk): {winner.name} won, 9 x 409")


def test_one_expert_clicking_take_ten_times_at_once_takes_it_once(live_server, expert):
    order = paid_order()
    url = f"{live_server.url}/api/expert/orders/{order.pk}/assign"

    responses = all_at_once([lambda http=api_session(expert.user): http.post(url, timeout=30) for _ in range(10)])

    assert _codes(responses) == {200: 1, 409: 9}
    assert {response.json()["error"]["code"] for response in responses if response.status_code == 409} == {
        "already_done"
    }
    assert Order.objects.get(pk=order.pk).expert == expert
    assert event_actions(order).count("assigned") == 1

