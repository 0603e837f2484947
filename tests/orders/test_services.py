"""The order lifecycle (SPEC §2): every allowed move, every forbidden one, repeats, and races."""

import uuid

import pytest
from django.db import connection

from orders import services
from orders.models import ContentVersion, Order, OrderEvent, OrderStatus, VersionOutcome
from orders.services import TRANSITIONS, InvalidTransition, StaleGenerationAttempt
from tests.concurrency import all_at_once
from tests.factories import ExpertFactory, create_order, paid_order

S = OrderStatus
CONTENT = {"archetype": "La Lune", "reading": "Texte", "ritual": "", "mandalaSvg": "", "synthesis": "", "guidance": ""}


def _put_in(order: Order, status: str) -> Order:
    """Test setup only: place an order in a status with what that status implies."""
    attempt = uuid.uuid4()
    Order.objects.filter(pk=order.pk).update(status=status, generation_attempt_id=attempt)
    if status == S.AWAITING_VALIDATION:
        ContentVersion.objects.create(order=order, revision=0, content=CONTENT, attempt_id=attempt)
    order.refresh_from_db()
    return order


def _call(action: str, order: Order, expert):
    calls = {
        "payment_succeeded": lambda: services.order_mark_paid(order_id=order.pk, payment_intent_id="pi_1"),
        "payment_failed": lambda: services.order_mark_payment_failed(order_id=order.pk, error="Carte refusée"),
        "canceled": lambda: services.order_cancel(order_id=order.pk, note="expirée"),
        "generation_started": lambda: services.order_start_generation(order_id=order.pk, expert=expert, prompt="p"),
        "content_received": lambda: services.order_receive_content(
            order_id=order.pk, attempt_id=order.generation_attempt_id, content=CONTENT
        ),
        "generation_failed": lambda: services.order_generation_failed(
            order_id=order.pk, attempt_id=order.generation_attempt_id, error="n8n en panne"
        ),
        "approved": lambda: services.order_approve(order_id=order.pk, expert=expert, notes="ok"),
        "rejected": lambda: services.order_reject(order_id=order.pk, expert=expert, reason="Trop court"),
        "refunded": lambda: services.order_refund(order_id=order.pk),
    }
    return calls[action]()


CASES = [(action, status) for action in TRANSITIONS for status in S.values]


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "status"), CASES, ids=[f"{a}-from-{s}" for a, s in CASES])
def test_each_transition_is_allowed_only_from_its_sources(action, status):
    expert = ExpertFactory()
    order = _put_in(create_order(), status)
    events_before = OrderEvent.objects.filter(order=order).count()
    transition = TRANSITIONS[action]

    if status in transition.sources:
        result = _call(action, order, expert)
        assert result.changed
        order.refresh_from_db()
        assert order.status == transition.target
        event = OrderEvent.objects.filter(order=order).latest("id")
        assert (event.from_status, event.to_status, event.action) == (status, transition.target, action)
        assert OrderEvent.objects.filter(order=order).count() == events_before + 1
    elif status == transition.target and transition.refusal:
        # In the target status without having made this move (a first generation has nothing to reject).
        with pytest.raises(InvalidTransition) as error:
            _call(action, order, expert)
        assert error.value.message == transition.refusal.format(number=order.number)
        assert OrderEvent.objects.filter(order=order).count() == events_before
    elif status == transition.target:
        result = _call(action, order, expert)
        assert not result.changed
        assert OrderEvent.objects.filter(order=order).count() == events_before
    else:
        with pytest.raises(InvalidTransition) as error:
            _call(action, order, expert)
        assert "impossible" in error.value.message
        order.refresh_from_db()
        assert order.status == status
        assert OrderEvent.objects.filter(order=order).count() == events_before


@pytest.mark.django_db
def test_order_is_created_pending_priced_from_the_offer_with_a_number_and_an_event(client_user):
    order = create_order(client=client_user, level=2, service="premium")

    assert order.status == S.PENDING
    assert (order.amount, order.currency, order.duration) == (7900, "eur", 60)
    assert order.number.startswith("LU") and len(order.number) == 15
    assert list(order.events.values_list("action", "to_status")) == [("created", S.PENDING)]


@pytest.mark.django_db
def test_order_numbers_follow_a_daily_sequence():
    first, second = create_order(), create_order()
    assert int(second.number[-5:]) == int(first.number[-5:]) + 1


@pytest.mark.django_db
def test_paying_twice_changes_nothing_the_second_time():
    order = create_order()
    first = services.order_mark_paid(order_id=order.pk, payment_intent_id="pi_1")
    paid_at = first.order.paid_at

    second = services.order_mark_paid(order_id=order.pk, payment_intent_id="pi_1")

    assert first.changed and not second.changed
    assert second.order.paid_at == paid_at
    assert order.events.filter(action="payment_succeeded").count() == 1


@pytest.mark.django_db
def test_a_late_payment_success_for_an_order_already_in_progress_changes_nothing(expert):
    order = paid_order()
    services.order_start_generation(order_id=order.pk, expert=expert, prompt="p")

    result = services.order_mark_paid(order_id=order.pk)

    assert not result.changed
    assert result.order.status == S.PROCESSING


@pytest.mark.django_db
def test_a_late_payment_failure_after_success_changes_nothing():
    order = paid_order()
    result = services.order_mark_payment_failed(order_id=order.pk, error="late")
    assert not result.changed and result.order.status == S.PAID


@pytest.mark.django_db
def test_full_generation_cycle_keeps_every_version_and_counts_the_revision_once(expert):
    order = paid_order()
    started = services.order_start_generation(order_id=order.pk, expert=expert, prompt="Lis l'avenir").order
    services.order_receive_content(order_id=order.pk, attempt_id=started.generation_attempt_id, content=CONTENT)

    rejected = services.order_reject(order_id=order.pk, expert=expert, reason="Trop vague", notes="Plus concret")
    again = services.order_reject(order_id=order.pk, expert=expert, reason="Trop vague")
    revised = {**CONTENT, "reading": "Texte révisé"}
    services.order_receive_content(order_id=order.pk, attempt_id=rejected.order.generation_attempt_id, content=revised)
    services.order_approve(order_id=order.pk, expert=expert, notes="Parfait")

    order.refresh_from_db()
    assert not again.changed
    assert order.status == S.COMPLETED and order.revision_count == 1
    assert order.generated_content["reading"] == "Texte révisé"
    assert order.delivered_at is not None
    versions = list(order.versions.values_list("revision", "outcome", "rejection_reason"))
    assert versions == [(0, VersionOutcome.REJECTED, "Trop vague"), (1, VersionOutcome.APPROVED, "")]
    assert list(order.events.values_list("action", flat=True)) == [
        "created", "payment_succeeded", "generation_started", "content_received", "rejected",
        "content_received", "approved",
    ]


@pytest.mark.django_db
def test_content_for_an_old_attempt_is_refused(expert):
    order = paid_order()
    services.order_start_generation(order_id=order.pk, expert=expert, prompt="p")

    with pytest.raises(StaleGenerationAttempt):
        services.order_receive_content(order_id=order.pk, attempt_id=uuid.uuid4(), content=CONTENT)

    order.refresh_from_db()
    assert order.status == S.PROCESSING and not order.versions.exists()


@pytest.mark.django_db
def test_the_same_content_callback_twice_stores_one_version(expert):
    order = paid_order()
    attempt = services.order_start_generation(order_id=order.pk, expert=expert, prompt="p").order.generation_attempt_id
    services.order_receive_content(order_id=order.pk, attempt_id=attempt, content=CONTENT)
    repeat = services.order_receive_content(order_id=order.pk, attempt_id=attempt, content=CONTENT)
    assert not repeat.changed and order.versions.count() == 1


@pytest.mark.django_db
def test_reject_requires_a_reason(expert):
    order = paid_order()
    with pytest.raises(services.OrderServiceError):
        services.order_reject(order_id=order.pk, expert=expert, reason="  ")


@pytest.mark.django_db
def test_an_order_taken_by_one_expert_cannot_be_taken_by_another(expert, other_expert):
    order = paid_order()
    services.order_assign(order_id=order.pk, expert=expert)
    with pytest.raises(services.AlreadyAssigned):
        services.order_assign(order_id=order.pk, expert=other_expert)
    assert services.order_assign(order_id=order.pk, expert=expert).changed is False


@pytest.mark.django_db
def test_refund_removes_the_order_from_access():
    order = paid_order()
    assert Order.objects.with_access().filter(pk=order.pk).exists()
    services.order_refund(order_id=order.pk)
    assert not Order.objects.with_access().filter(pk=order.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_threads_racing_the_same_payment_write_one_event():
    assert connection.vendor == "postgresql"
    order = create_order()

    outcomes = all_at_once([lambda: services.order_mark_paid(order_id=order.pk, payment_intent_id="pi_race")] * 2)

    assert sorted(outcome.changed for outcome in outcomes) == [False, True]
    assert order.events.filter(action="payment_succeeded").count() == 1


@pytest.mark.django_db(transaction=True)
def test_approve_and_reject_racing_have_exactly_one_effect(expert):
    order = paid_order()
    attempt = services.order_start_generation(order_id=order.pk, expert=expert, prompt="p").order.generation_attempt_id
    services.order_receive_content(order_id=order.pk, attempt_id=attempt, content=CONTENT)
    outcomes = all_at_once([
        lambda: services.order_approve(order_id=order.pk, expert=expert),
        lambda: services.order_reject(order_id=order.pk, expert=expert, reason="non"),
    ])

    assert sum(isinstance(outcome, InvalidTransition) for outcome in outcomes) == 1
    assert order.events.filter(action__in=["approved", "rejected"]).count() == 1
