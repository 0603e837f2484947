"""One registry of event actions (orders.events): nothing is written that it lacks, and the desk shows each
action's label in French."""

import ast
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from orders import services
from orders.events import EVENT_ACTIONS, UnknownEventAction, action_label
from orders.models import OrderEvent
from orders.services import TRANSITIONS
from orders.services.core import record_event
from tests.factories import create_order, paid_order

ROOT = Path(__file__).resolve().parents[2]
# Application code and the tools that write orders (not the tests, not the virtualenv).
SKIPPED = {".venv", "tests", "node_modules", "var", "media", "staticfiles", "migrations"}


def _python_files():
    for path in ROOT.rglob("*.py"):
        if not SKIPPED & set(path.relative_to(ROOT).parts):
            yield path


def _written_actions() -> dict[str, str]:
    """Every string literal passed as `action=` (argparse's add_argument aside), with where it is."""
    found = {}
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call) or getattr(node.func, "attr", None) == "add_argument":
                continue
            for keyword in node.keywords:
                if keyword.arg == "action" and isinstance(keyword.value, ast.Constant):
                    found[keyword.value.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_action_the_code_writes_is_registered():
    written = _written_actions()
    assert {"created", "payment_attempt_failed", "payment_intent_replaced", "client_inputs_updated"} <= set(written)
    unregistered = {action: where for action, where in written.items() if action not in EVENT_ACTIONS}
    assert unregistered == {}, "register these in orders/events.py (with a label)"


def test_every_transition_writes_a_registered_action():
    assert set(TRANSITIONS) <= set(EVENT_ACTIONS)


@pytest.mark.django_db
def test_the_services_refuse_to_write_an_unregistered_action():
    order = create_order()
    with pytest.raises(UnknownEventAction):
        record_event(order, from_status=order.status, action="something_new")
    assert not OrderEvent.objects.filter(action="something_new").exists()


@pytest.mark.django_db
def test_a_whole_life_through_the_services_writes_only_registered_actions(expert, client_user):
    content = {"archetype": "La Lune", "reading": "Texte"}
    order = create_order(client=client_user, question="")  # the client completes it later
    services.order_payment_intent_attach(order_id=order.pk, payment_intent_id="pi_1")
    services.order_payment_intent_attach(order_id=order.pk, payment_intent_id="pi_2")
    services.order_payment_attempt_failed(order_id=order.pk, error="Carte refusée", intent_id="pi_2")
    services.order_mark_paid(order_id=order.pk, payment_intent_id="pi_2")
    services.order_intake_reminder_claim(order_id=order.pk)
    services.orders_client_inputs_apply(client=client_user, inputs={"question": "Quelle voie ?"})
    services.order_flag_payment(order_id=order.pk, reason="montant")
    services.order_assign(order_id=order.pk, expert=expert)
    attempt = services.order_start_generation(order_id=order.pk, expert=expert, prompt="p").order.generation_attempt_id
    services.order_receive_content(order_id=order.pk, attempt_id=attempt, content=content)
    services.order_approve(order_id=order.pk, expert=expert)
    services.order_audio_attach(order_id=order.pk, name="reading-audio/x.ogg")
    services.order_refund(order_id=order.pk)
    services.order_erase_personal_data(order_id=order.pk)
    services.order_cancel(order_id=create_order().pk)

    actions = set(OrderEvent.objects.values_list("action", flat=True))
    assert {"payment_attempt_failed", "payment_intent_replaced", "client_inputs_updated", "intake_reminder"} <= actions
    assert actions <= set(EVENT_ACTIONS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "french"),
    [
        ("payment_attempt_failed", "Carte refusée : le client peut réessayer"),
        ("payment_intent_replaced", "Nouveau paiement préparé après un refus"),
        ("client_inputs_updated", "Informations du client mises à jour"),
    ],
)
def test_the_desk_history_shows_the_french_label_of_every_action(expert, client_user, action, french):
    order = create_order(client=client_user)
    services.order_payment_intent_attach(order_id=order.pk, payment_intent_id="pi_1")
    services.order_payment_intent_attach(order_id=order.pk, payment_intent_id="pi_2")
    services.order_payment_attempt_failed(order_id=order.pk, error="Carte refusée", intent_id="pi_2")
    services.order_mark_paid(order_id=order.pk, payment_intent_id="pi_2")
    services.orders_client_inputs_apply(client=client_user, inputs={"objective": "Changer de métier."})
    desk = Client()
    desk.force_login(expert.user)

    page = desk.get(reverse("experts:order", args=[order.pk])).content.decode()

    assert f"— {french}" in page
    assert f"— {action}" not in page
    assert action_label(action) == french  # French is the default language


@pytest.mark.django_db
def test_the_expert_api_gives_each_event_its_label(expert):
    from tests.experts.helpers import api_for

    order = paid_order()
    data = api_for(expert.user).get(f"/api/expert/orders/{order.pk}").json()["order"]

    assert [(event["action"], event["actionLabel"]) for event in data["events"]][:2] == [
        ("created", "Commande créée"),
        ("payment_succeeded", "Paiement reçu"),
    ]
