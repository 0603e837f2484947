"""Expert API writes: take, send to generation, approve, reject (SPEC §4, §9)."""

import json
import uuid

import pytest
from django.core import mail

from engine.schema import SECTIONS_BY_LEVEL, validate_content
from experts.models import GenerationAttempt
from orders.models import Order, OrderStatus, VersionOutcome
from tests.experts.helpers import event_actions, in_validation, processing, version_rows
from tests.factories import ExpertFactory, create_order, paid_order

PROCESS = "/api/expert/process-order"
VALIDATE = "/api/expert/validate-content"


def assign_url(order) -> str:
    return f"/api/expert/orders/{order.pk}/assign"


@pytest.mark.django_db
def test_an_expert_takes_an_unassigned_order(expert, expert_api):
    order = paid_order()

    response = expert_api.post(assign_url(order))

    assert response.status_code == 200
    assert response.json()["order"]["expert"]["id"] == expert.pk
    order.refresh_from_db()
    assert order.expert == expert and order.assigned_at is not None
    assert event_actions(order)[-1] == "assigned"
    assert mail.outbox == []  # they took it themselves: nobody to tell


@pytest.mark.django_db
def test_taking_an_order_another_expert_holds_is_a_409(expert, other_expert_api):
    order = paid_order(expert=expert)

    response = other_expert_api.post(assign_url(order))

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "already_assigned", "message": "Cette commande est déjà prise par un autre expert."
    }
    order.refresh_from_db()
    assert order.expert == expert


@pytest.mark.django_db
def test_taking_ones_own_order_again_changes_nothing_and_says_so_with_a_409(expert, expert_api):
    order = paid_order()
    expert_api.post(assign_url(order))
    again = expert_api.post(assign_url(order))
    assert again.status_code == 409
    assert again.json()["error"] == {"code": "already_done", "message": "Cette commande est déjà à vous."}
    assert event_actions(order).count("assigned") == 1


@pytest.mark.django_db
def test_taking_an_unknown_or_unpaid_order_is_a_404(expert_api):
    assert expert_api.post(f"/api/expert/orders/{uuid.uuid4()}/assign").status_code == 404
    assert expert_api.post(assign_url(create_order())).status_code == 404


@pytest.mark.django_db
def test_an_admin_gives_an_order_to_an_expert_who_is_emailed(admin_api, expert, django_capture_on_commit_callbacks):
    order = paid_order()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(assign_url(order), {"expertId": expert.pk}, format="json")

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.expert == expert
    assert [message.to for message in mail.outbox] == [[expert.email]]
    assert order.number in mail.outbox[0].subject
    assert f"/desk/orders/{order.pk}/" in mail.outbox[0].body


@pytest.mark.django_db
def test_only_admins_give_orders_to_other_experts(expert_api, other_expert):
    order = paid_order()
    response = expert_api.post(assign_url(order), {"expertId": other_expert.pk}, format="json")
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.expert is None


@pytest.mark.django_db
def test_sending_to_generation_answers_202_and_the_local_generator_delivers_a_version(
    expert, expert_api, django_capture_on_commit_callbacks
):
    order = paid_order(level=4, service="vip")

    with django_capture_on_commit_callbacks(execute=True):
        response = expert_api.post(
            PROCESS, {"orderId": str(order.pk), "expertPrompt": "Une lecture lumineuse.", "expertInstructions": "Doux"},
            format="json",
        )

    assert response.status_code == 202
    assert response.json()["order"]["status"] == OrderStatus.PROCESSING  # as it was when answered
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_VALIDATION
    assert (order.expert, order.expert_prompt, order.expert_instructions) == (expert, "Une lecture lumineuse.", "Doux")
    assert set(order.generated_content) == set(SECTIONS_BY_LEVEL[4])  # level 4: every part
    assert validate_content(order.generated_content, level=4, duration_minutes=90) == []
    assert version_rows(order) == [(0, VersionOutcome.PENDING)]
    attempt = GenerationAttempt.objects.get(order=order)
    assert (attempt.outcome, attempt.sends, attempt.backend) == ("delivered", 1, "local")
    assert event_actions(order)[-2:] == ["generation_started", "content_received"]


@pytest.mark.django_db
def test_the_generation_task_is_enqueued_only_after_commit(expert, expert_api, django_capture_on_commit_callbacks):
    order = paid_order()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        expert_api.post(PROCESS, {"orderId": str(order.pk), "expertPrompt": "p"}, format="json")

    order.refresh_from_db()
    assert len(callbacks) == 2  # the generation request, and orders.signals.order_changed
    assert order.status == OrderStatus.PROCESSING and not order.versions.exists()


@pytest.mark.django_db
def test_sending_twice_starts_one_generation(expert, expert_api, django_capture_on_commit_callbacks):
    order = paid_order(expert=expert)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = expert_api.post(PROCESS, {"orderId": str(order.pk), "expertPrompt": "p"}, format="json")
        second = expert_api.post(PROCESS, {"orderId": str(order.pk), "expertPrompt": "p"}, format="json")

    assert (first.status_code, second.status_code) == (202, 409)
    assert second.json()["error"]["code"] == "already_done"
    assert len(callbacks) == 2  # the first one's generation request and order_changed; nothing for the second
    assert GenerationAttempt.objects.filter(order=order).count() == 1


@pytest.mark.django_db
def test_sending_an_order_in_another_state_is_a_409(expert, expert_api):
    order = in_validation(expert)
    response = expert_api.post(PROCESS, {"orderId": str(order.pk), "expertPrompt": "p"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


@pytest.mark.django_db
def test_sending_an_order_another_expert_holds_is_a_409(expert, other_expert_api):
    order = paid_order(expert=expert)
    response = other_expert_api.post(PROCESS, {"orderId": str(order.pk), "expertPrompt": "p"}, format="json")
    assert response.status_code == 409
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "fields"),
    [({}, {"orderId", "expertPrompt"}), ({"orderId": "pas-un-uuid", "expertPrompt": "p"}, {"orderId"}),
     ({"orderId": str(uuid.uuid4()), "expertPrompt": ""}, {"expertPrompt"})],
    ids=["empty", "bad-id", "blank-prompt"],
)
def test_process_order_with_bad_input_is_a_400(expert_api, body, fields):
    response = expert_api.post(PROCESS, body, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == fields


@pytest.mark.django_db
def test_approving_delivers_the_reading_and_emails_the_client(expert, expert_api, django_capture_on_commit_callbacks):
    order = in_validation(expert)

    with django_capture_on_commit_callbacks(execute=True):
        response = expert_api.post(
            VALIDATE, {"orderId": str(order.pk), "action": "approve", "validationNotes": "Très juste."}, format="json"
        )

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED and order.delivered_at is not None
    assert order.validation_notes == "Très juste."
    assert version_rows(order) == [(0, VersionOutcome.APPROVED)]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [order.client_email]
    assert "prête" in message.subject
    assert "http://127.0.0.1:8000/sanctuaire/" in message.body
    assert "/sanctuaire/" in message.alternatives[0][0]


@pytest.mark.django_db
def test_approving_twice_delivers_once(expert, expert_api, django_capture_on_commit_callbacks):
    order = in_validation(expert)
    body = {"orderId": str(order.pk), "action": "approve"}
    with django_capture_on_commit_callbacks(execute=True):
        first = expert_api.post(VALIDATE, body, format="json")
        second = expert_api.post(VALIDATE, body, format="json")

    assert (first.status_code, second.status_code) == (200, 409)
    assert second.json()["error"] == {"code": "already_done", "message": "Cette lecture est déjà approuvée et livrée."}
    assert len(mail.outbox) == 1
    assert event_actions(order).count("approved") == 1


@pytest.mark.django_db
def test_rejecting_requires_a_reason(expert, expert_api):
    order = in_validation(expert)

    response = expert_api.post(VALIDATE, {"orderId": str(order.pk), "action": "reject", "rejectionReason": " "}, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"rejectionReason"}
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_VALIDATION and order.revision_count == 0


@pytest.mark.django_db
def test_rejecting_starts_a_revision_carrying_reason_and_notes_and_emails_the_expert_when_ready(
    expert, expert_api, django_capture_on_commit_callbacks
):
    order = in_validation(expert)

    with django_capture_on_commit_callbacks(execute=True):
        response = expert_api.post(
            VALIDATE,
            {"orderId": str(order.pk), "action": "reject", "rejectionReason": "Trop vague", "validationNotes": "Concret"},
            format="json",
        )

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_VALIDATION  # the local generator answered at once
    assert order.revision_count == 1
    assert (order.rejection_reason, order.validation_notes) == ("Trop vague", "Concret")
    assert version_rows(order) == [(0, VersionOutcome.REJECTED), (1, VersionOutcome.PENDING)]
    assert "Trop vague" not in json.dumps(order.generated_content, ensure_ascii=False)  # steers, never quoted
    assert [message.to for message in mail.outbox] == [[expert.email]]
    assert "Révision 1" in mail.outbox[0].subject


@pytest.mark.django_db
def test_validating_an_order_in_another_state_is_a_409(expert, expert_api):
    order = processing(expert)
    for action in ("approve", "reject"):
        response = expert_api.post(
            VALIDATE, {"orderId": str(order.pk), "action": action, "rejectionReason": "x"}, format="json"
        )
        assert response.status_code == 409
    order.refresh_from_db()
    assert order.status == OrderStatus.PROCESSING and order.revision_count == 0


@pytest.mark.django_db
def test_validating_another_experts_order_is_a_409(expert, other_expert_api):
    order = in_validation(expert)
    response = other_expert_api.post(VALIDATE, {"orderId": str(order.pk), "action": "approve"}, format="json")
    assert response.status_code == 409
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_VALIDATION


@pytest.mark.django_db
def test_an_admin_may_validate_any_order(expert, admin_api):
    order = in_validation(expert)
    response = admin_api.post(VALIDATE, {"orderId": str(order.pk), "action": "approve"}, format="json")
    assert response.status_code == 200


@pytest.mark.django_db
def test_an_unknown_action_is_a_400(expert, expert_api):
    order = in_validation(expert)
    response = expert_api.post(VALIDATE, {"orderId": str(order.pk), "action": "publish"}, format="json")
    assert response.status_code == 400 and "action" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_an_inactive_expert_is_not_offered_orders_by_admins(admin_api):
    order = paid_order()
    gone = ExpertFactory(is_active=False)
    response = admin_api.post(assign_url(order), {"expertId": gone.pk}, format="json")
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_judging_a_version_that_is_no_longer_current_is_a_409_stale_version_and_changes_nothing(
    expert, expert_api, django_capture_on_commit_callbacks, action
):
    order = in_validation(expert)
    with django_capture_on_commit_callbacks(execute=True):  # version 0 rejected; revision 1 lands at once
        expert_api.post(VALIDATE, {"orderId": str(order.pk), "action": "reject", "rejectionReason": "Trop vague",
                                   "version": 0}, format="json")
    order.refresh_from_db()
    assert (order.status, order.revision_count) == (OrderStatus.AWAITING_VALIDATION, 1)
    events = event_actions(order)

    response = expert_api.post(
        VALIDATE, {"orderId": str(order.pk), "action": action, "rejectionReason": "Trop vague", "version": 0},
        format="json",
    )

    assert response.status_code == 409 and response.json()["error"]["code"] == "stale_version"
    assert "Rechargez" in response.json()["error"]["message"]
    order.refresh_from_db()
    assert (order.status, order.revision_count) == (OrderStatus.AWAITING_VALIDATION, 1)
    assert version_rows(order) == [(0, VersionOutcome.REJECTED), (1, VersionOutcome.PENDING)]
    assert event_actions(order) == events
    current = expert_api.post(VALIDATE, {"orderId": str(order.pk), "action": "approve", "version": 1}, format="json")
    assert current.status_code == 200 and current.json()["order"]["status"] == "completed"
