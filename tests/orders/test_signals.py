"""orders.signals: every write of an order tells the other apps after commit, never before, never on a repeat."""

import pytest

from orders import services
from orders.models import Order
from orders.signals import order_approved, order_changed, order_paid
from tests.factories import create_order, paid_order


@pytest.fixture
def heard():
    calls = []

    def listen(signal):
        def receiver(sender, **kwargs):
            calls.append((signal, kwargs["order_id"]))

        return receiver

    receivers = {
        signal: listen(name) for signal, name in ((order_changed, "changed"), (order_paid, "paid"), (order_approved, "approved"))
    }
    for signal, receiver in receivers.items():
        signal.connect(receiver, sender=Order, weak=False)
    yield calls
    for signal, receiver in receivers.items():
        signal.disconnect(receiver, sender=Order)


@pytest.mark.django_db
def test_nothing_is_sent_before_commit_and_a_paid_order_is_announced_once(heard, django_capture_on_commit_callbacks):
    order = create_order()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.order_mark_paid(order_id=order.pk, payment_intent_id="pi_1")
        assert heard == []  # still inside the transaction
        services.order_mark_paid(order_id=order.pk, payment_intent_id="pi_1")  # a repeat: nothing more

    assert len(callbacks) == 2
    assert heard == [("changed", order.pk), ("paid", order.pk)]


@pytest.mark.django_db
def test_order_changed_carries_the_client_and_the_expert(expert, django_capture_on_commit_callbacks):
    seen = []

    def receiver(sender, **kwargs):
        seen.append(kwargs)

    order_changed.connect(receiver, sender=Order, weak=False)
    try:
        order = paid_order()
        with django_capture_on_commit_callbacks(execute=True):
            services.order_assign(order_id=order.pk, expert=expert)
    finally:
        order_changed.disconnect(receiver, sender=Order)

    assert seen[-1]["order_id"] == order.pk
    assert (seen[-1]["client_id"], seen[-1]["expert_id"]) == (order.client_id, expert.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "write",
    [
        "intake_reminder",
        "client_inputs",
        "flag",
        "intent",
        "attempt_failed",
        "generation_error",
        "staff_update",
        "refresh_chart",
    ],
)
def test_every_write_without_a_status_change_is_announced_too(
    write, heard, client_user, expert, django_capture_on_commit_callbacks
):
    if write in ("intake_reminder", "client_inputs"):
        order = paid_order(client=client_user, question="")
    elif write == "generation_error":
        order = services.order_start_generation(order_id=paid_order().pk, expert=expert, prompt="p").order
    else:
        order = create_order(client=client_user)
    calls = {
        "intake_reminder": lambda: services.order_intake_reminder_claim(order_id=order.pk),
        "client_inputs": lambda: services.orders_client_inputs_apply(client=client_user, inputs={"question": "Q ?"}),
        "flag": lambda: services.order_flag_payment(order_id=order.pk, reason="montant"),
        "intent": lambda: services.order_payment_intent_attach(order_id=order.pk, payment_intent_id="pi_9"),
        "attempt_failed": lambda: services.order_payment_attempt_failed(order_id=order.pk, error="refusée"),
        "generation_error": lambda: services.order_generation_error_show(
            order_id=order.pk, attempt_id=order.generation_attempt_id, error="file indisponible"
        ),
        "staff_update": lambda: services.order_staff_update(order_id=order.pk, values={"client_phone": "0102030405"}),
        "refresh_chart": lambda: services.order_refresh_chart(order_id=order.pk),  # factory orders have no chart
    }
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert calls[write]()

    assert heard == [("changed", order.pk)]


@pytest.mark.django_db
def test_an_approval_is_announced_once(expert, heard, django_capture_on_commit_callbacks):
    order = paid_order(question="Q ?", birth_date="1990-04-12")
    attempt = services.order_start_generation(order_id=order.pk, expert=expert, prompt="p").order.generation_attempt_id
    services.order_receive_content(order_id=order.pk, attempt_id=attempt, content={"reading": "Texte"})

    with django_capture_on_commit_callbacks(execute=True):
        services.order_approve(order_id=order.pk, expert=expert)
        services.order_approve(order_id=order.pk, expert=expert)

    assert [call for call in heard if call[0] == "approved"] == [("approved", order.pk)]
