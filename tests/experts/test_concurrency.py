"""Races on PostgreSQL through the API: one effect, the loser gets a 409."""

import threading

import pytest
from django.db import connection

from orders.models import OrderStatus
from tests.experts.helpers import api_for, event_actions, in_validation
from tests.factories import paid_order


def race(*calls) -> list:
    """Run each call in its own thread, released together; return their results in call order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_experts_taking_the_same_order_one_wins_the_other_gets_409(expert, other_expert):
    assert connection.vendor == "postgresql"
    order = paid_order()
    apis = [api_for(expert.user), api_for(other_expert.user)]

    responses = race(*[lambda api=api: api.post(f"/api/expert/orders/{order.pk}/assign") for api in apis])

    codes = sorted(response.status_code for response in responses)
    assert codes == [200, 409]
    winner = [expert, other_expert][[r.status_code for r in responses].index(200)]
    order.refresh_from_db()
    assert order.expert == winner
    assert event_actions(order).count("assigned") == 1


@pytest.mark.django_db(transaction=True)
def test_approve_and_reject_at_the_same_time_have_exactly_one_effect(expert):
    order = in_validation(expert)
    api, api_too = api_for(expert.user), api_for(expert.user)
    url = "/api/expert/validate-content"

    responses = race(
        lambda: api.post(url, {"orderId": str(order.pk), "action": "approve"}, format="json"),
        lambda: api_too.post(url, {"orderId": str(order.pk), "action": "reject", "rejectionReason": "Non"}, format="json"),
    )

    assert sorted(response.status_code for response in responses) == [200, 409]
    order.refresh_from_db()
    actions = event_actions(order)
    assert actions.count("approved") + actions.count("rejected") == 1
    if responses[0].status_code == 200:
        assert order.status == OrderStatus.COMPLETED and order.revision_count == 0
    else:
        assert order.revision_count == 1 and order.versions.filter(outcome="rejected").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_rejections_at_the_same_time_count_one_revision_and_the_second_gets_409(expert):
    order = in_validation(expert)
    apis = [api_for(expert.user), api_for(expert.user)]
    body = {"orderId": str(order.pk), "action": "reject", "rejectionReason": "Trop court"}

    responses = race(*[lambda api=api: api.post("/api/expert/validate-content", body, format="json") for api in apis])

    assert sorted(response.status_code for response in responses) == [200, 409]
    order.refresh_from_db()
    assert order.revision_count == 1
    assert event_actions(order).count("rejected") == 1
    assert order.generation_attempts.count() == 2  # the first generation and one revision
