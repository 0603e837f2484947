"""Expert API reads: the queue, the validation queue, one order, stats (SPEC §9)."""

import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from experts.models import AIRun, AIRunOutcome
from experts.services import content_validate
from orders import services as order_services
from tests.experts.helpers import in_validation, processing
from tests.factories import ExpertFactory, create_order, paid_order

QUEUE = "/api/expert/orders"
VALIDATION = "/api/expert/orders/validation-queue"
STATS = "/api/expert/stats"


def numbers(response) -> list[str]:
    return [row["number"] for row in response.json()["results"]]


@pytest.mark.django_db
def test_the_queue_shows_unassigned_and_own_paid_orders_oldest_first(expert, other_expert, expert_api):
    expert.specialties, expert.rating = ["Tarot", "Astrologie"], "4.80"
    expert.save()
    unassigned = paid_order()
    mine = paid_order(expert=expert)
    paid_order(expert=other_expert)
    create_order()  # pending: not paid yet

    response = expert_api.get(QUEUE)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "countExact", "next", "previous", "results"} and body["countExact"] is True
    assert numbers(response) == [unassigned.number, mine.number]
    row = body["results"][1]
    assert row["expert"] == {"id": expert.pk, "name": "Oriane Lune", "specialties": ["Tarot", "Astrologie"], "rating": 4.8}
    assert (row["status"], row["level"], row["levelName"], row["service"], row["amount"]) == (
        "paid", "intuitive", "Intuitive", "premium", 7900
    )
    assert "birthDate" not in row  # client inputs only on the order itself


@pytest.mark.django_db
def test_an_admin_sees_every_order_in_the_queue(admin_api, expert, other_expert):
    paid_order(expert=expert)
    paid_order(expert=other_expert)
    paid_order()
    assert admin_api.get(QUEUE).json()["count"] == 3


@pytest.mark.django_db
def test_the_queue_filters_by_status_and_level(expert, expert_api):
    simple = paid_order(level=1, service="basic")
    paid_order(level=4, service="vip")
    running = processing(expert)

    assert numbers(expert_api.get(QUEUE, {"level": "simple"})) == [simple.number]
    assert numbers(expert_api.get(QUEUE, {"status": "processing"})) == [running.number]
    assert expert_api.get(QUEUE, {"status": "all"}).json()["count"] == 3


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"status": "pending"}, {"status": "nope"}, {"level": "cosmique"}])
def test_an_unknown_filter_is_a_400_naming_the_field(expert_api, params):
    response = expert_api.get(QUEUE, params)
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(params)


@pytest.mark.django_db
def test_the_queue_is_paginated_with_a_constant_number_of_queries(expert, expert_api, django_assert_num_queries):
    for _ in range(3):
        paid_order()
    with django_assert_num_queries(3):  # user with expert (JWT), count, page of orders with their expert
        small = expert_api.get(QUEUE)
    for _ in range(22):
        paid_order(expert=expert)
    with django_assert_num_queries(3):  # the same three queries for a full page
        full = expert_api.get(QUEUE)
    second = expert_api.get(QUEUE, {"page": 2})

    assert small.json()["count"] == 3 and len(small.json()["results"]) == 3
    assert full.json()["count"] == 25 and len(full.json()["results"]) == 20
    assert full.json()["next"].endswith("page=2") and len(second.json()["results"]) == 5
    assert expert_api.get(QUEUE, {"page": 9}).status_code == 404


@pytest.mark.django_db
def test_the_validation_queue_lists_own_orders_with_a_preview(expert, other_expert, expert_api, django_assert_num_queries):
    long_reading = "Mot " * 200
    mine = in_validation(expert, content={"archetype": "Le Soleil", "reading": long_reading})
    in_validation(other_expert)
    paid_order(expert=expert)

    with django_assert_num_queries(3):  # user with expert (JWT), count, page of orders with their expert
        response = expert_api.get(VALIDATION)
    for _ in range(4):
        in_validation(expert)
    with django_assert_num_queries(3):  # unchanged with more orders
        bigger = expert_api.get(VALIDATION)

    assert response.status_code == 200
    assert numbers(response) == [mine.number]
    preview = response.json()["results"][0]["preview"]
    assert preview["archetype"] == "Le Soleil"
    assert preview["excerpt"].endswith("…") and len(preview["excerpt"]) <= 281
    assert bigger.json()["count"] == 5


@pytest.mark.django_db
def test_an_order_shows_client_inputs_prefilled_prompt_versions_and_events(expert, expert_api):
    order = paid_order(expert=expert)
    order.birth_date = timezone.datetime(1990, 4, 12).date()
    order.birth_time, order.birth_place, order.question = "08:30", "Lyon", "Vais-je changer de métier ?"
    order.save()

    response = expert_api.get(f"/api/expert/orders/{order.pk}")

    assert response.status_code == 200
    data = response.json()["order"]
    assert data["client"]["birthDate"] == "1990-04-12" and data["client"]["birthPlace"] == "Lyon"
    # The directive steers the writer; the client's inputs travel in the generation request's user message.
    assert data["expertPrompt"] and "Lyon" not in data["expertPrompt"] and order.client_email not in data["expertPrompt"]
    assert data["expertInstructions"]
    request = data["generationRequest"]
    assert request["sent"] is False and [m["role"] for m in request["messages"]] == ["system", "user"]
    assert "Vais-je changer de métier ?" in request["messages"][1]["content"] and "Lyon" in request["messages"][1]["content"]
    assert data["expertPrompt"] in request["messages"][1]["content"]
    assert data["attempt"] is None and data["aiRuns"] == []
    assert [event["action"] for event in data["events"]] == ["created", "payment_succeeded"]
    assert data["versions"] == []


@pytest.mark.django_db
def test_an_order_detail_lists_every_version(expert, expert_api):
    order = in_validation(expert)
    content_validate(order_id=order.pk, expert=expert, action="reject", reason="Trop court")

    data = expert_api.get(f"/api/expert/orders/{order.pk}").json()["order"]

    assert data["status"] == "processing" and data["revisionCount"] == 1
    assert [(v["revision"], v["outcome"], v["rejectionReason"]) for v in data["versions"]] == [(0, "rejected", "Trop court")]
    assert data["events"][-1]["actor"] == expert.email


@pytest.mark.django_db
def test_another_experts_order_is_a_404(expert, other_expert_api):
    order = paid_order(expert=expert)
    assert other_expert_api.get(f"/api/expert/orders/{order.pk}").status_code == 404
    assert other_expert_api.get(f"/api/expert/orders/{uuid.uuid4()}").status_code == 404


@pytest.mark.django_db
def test_a_pending_order_is_not_visible_to_experts(expert_api):
    assert expert_api.get(f"/api/expert/orders/{create_order().pk}").status_code == 404


@pytest.mark.django_db
def test_the_order_endpoint_answers_405_to_delete(expert, expert_api):
    assert expert_api.delete(f"/api/expert/orders/{paid_order(expert=expert).pk}").status_code == 405


@pytest.mark.django_db
def test_stats_count_orders_per_status_and_what_the_expert_delivered_today(expert, other_expert, expert_api,
                                                                          django_assert_num_queries):
    paid_order()
    paid_order(expert=expert)
    processing(expert)
    done = in_validation(expert)
    order_services.order_approve(order_id=done.pk, expert=expert)
    theirs = in_validation(other_expert)
    order_services.order_approve(order_id=theirs.pk, expert=other_expert)
    for order, cost in ((done, "0.0125"), (done, "0.0100"), (theirs, "5")):  # the other expert's run is not counted
        AIRun.objects.create(attempt_id=order.generation_attempt_id, order=order, backend="openai", model="gpt-4o-mini",
                             cost_eur=Decimal(cost), outcome=AIRunOutcome.SUCCEEDED)

    with django_assert_num_queries(3):  # user with expert (JWT), the counts, the AI cost
        response = expert_api.get(STATS)

    assert response.status_code == 200
    assert response.json() == {
        "counts": {"paid": 2, "processing": 1, "awaiting_validation": 0, "completed": 1},
        "treatedToday": 1,
        "aiCostEur": 0.0225,
    }


@pytest.mark.django_db
def test_admin_stats_cover_every_order_and_status(admin_api, expert):
    create_order()
    done = in_validation(expert)
    order_services.order_approve(order_id=done.pk, expert=expert)

    body = admin_api.get(STATS).json()

    assert body["counts"]["pending"] == 1 and body["counts"]["completed"] == 1 and body["counts"]["refunded"] == 0
    assert body["treatedToday"] == 1


@pytest.mark.django_db
def test_an_inactive_experts_orders_stay_visible_to_admins(admin_api):
    gone = ExpertFactory(is_active=False)
    order = paid_order(expert=gone)
    assert admin_api.get(f"/api/expert/orders/{order.pk}").json()["order"]["expert"]["id"] == gone.pk
