"""The intake at checkout (SPEC §5, §9): optional on the API, validated by the shared intake form, stored
with the place resolved and the chart computed, both encrypted at rest; a paid order lacking what
generation needs sends one reminder email. Refused birth data: with the other refused fields, in
test_create_payment_intent.py."""

import pytest
from django.core import mail
from django.db import connection

from orders.intake import IntakeForm
from orders.models import Order, OrderEvent
from sanctuaire.forms import ProfileForm
from tests.payments.helpers import NO_INTAKE, checkout_order, create_checkout, pay_intent_in_stripe, stripe_ids
from tests.stripe_support import post_event, stored_event

pytestmark = pytest.mark.django_db

BIRTH = {
    "birthDate": "1985-03-21", "birthTime": "14:30", "birthPlace": "Paris",
    "question": "Quelle voie pour mon travail ?", "objective": "Changer de métier.",
}


def _raw(order: Order) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT chart, birth_place, question FROM orders_order WHERE id = %s", [order.pk])
        return " ".join(str(value) for value in cursor.fetchone())


def test_a_checkout_with_birth_data_stores_the_resolved_place_and_the_chart(client, stripe_account, intuitive_premium):
    order, _ = checkout_order(client, **BIRTH)

    assert order.birth_place == "Paris (Île-de-France)"
    assert (str(order.birth_date), order.birth_time, order.question) == ("1985-03-21", "14:30", BIRTH["question"])
    assert order.intake_missing == []
    chart = order.chart
    assert chart["timeKnown"] is True and chart["place"]["timezone"] == "Europe/Paris"
    sun = next(body for body in chart["bodies"] if body["key"] == "sun")
    assert sun["sign"] == "Bélier"
    assert len(chart["houses"]) == 12 and chart["angles"]["ascendant"] is not None


def test_the_chart_and_the_intake_are_encrypted_at_rest(client, stripe_account, intuitive_premium):
    order, _ = checkout_order(client, **BIRTH)

    raw = _raw(order)
    # Quoted JSON keys cannot occur by chance in base64 ciphertext; a bare "sun" can (CI saw it once).
    for clear in ("Bélier", "Paris", "Île-de-France", "Europe/Paris", '"sun"', '"bodies"', "Quelle voie"):
        assert clear not in raw


def test_an_unknown_birth_time_gives_a_chart_without_houses(client, stripe_account, intuitive_premium):
    order, _ = checkout_order(client, **{**BIRTH, "birthTime": None, "birthTimeUnknown": True})

    assert not order.birth_time
    assert order.chart["timeKnown"] is False
    assert order.chart["houses"] is None and order.chart["angles"] is None


def test_the_intake_is_optional_on_the_api_and_the_order_says_what_it_lacks(client, stripe_account, intuitive_premium):
    order, _ = checkout_order(client, **NO_INTAKE)

    assert order.chart is None
    assert order.intake_missing == ["birthDate", "question"]


def test_an_ambiguous_place_lists_every_candidate(client, stripe_account, intuitive_premium):
    response = create_checkout(client, **{**BIRTH, "birthPlace": "Saint-Denis"})

    message = response.json()["error"]["fields"]["birthPlace"][0]
    assert "Saint-Denis (La Réunion)" in message and "Saint-Denis (Île-de-France)" in message


def test_a_candidate_label_resolves_the_ambiguity(client, stripe_account, intuitive_premium):
    order, _ = checkout_order(client, **{**BIRTH, "birthPlace": "Saint-Denis (La Réunion)"})

    assert order.birth_place == "Saint-Denis (La Réunion)"
    assert order.chart["place"]["timezone"] == "Indian/Reunion"


def test_the_order_page_and_the_profile_share_one_intake_form():
    assert issubclass(ProfileForm, IntakeForm)
    api_form = IntakeForm(data={"birth_place": "Saint-Denis"})
    profile_form = ProfileForm(data={"birth_place": "Saint-Denis"})
    assert not api_form.is_valid() and not profile_form.is_valid()
    assert api_form.errors["birth_place"] == profile_form.errors["birth_place"]


# --- the reminder -----------------------------------------------------------------------------------------

def _deliver_success(client, webhook_endpoint, order, intent, capture, event_id=None):
    def rename(event):
        if event_id:
            event["id"] = event_id

    event = stored_event("payment_intent.succeeded", ids=stripe_ids(order, intent), change=rename)
    with capture(execute=True):
        response = post_event(client, webhook_endpoint, event)
    assert response.status_code == 200


def _reminders() -> list:
    return [email for email in mail.outbox if "complétez votre profil" in email.subject]


def test_an_order_paid_without_its_intake_sends_one_reminder_with_the_profile_link(
    client, webhook_endpoint, intuitive_premium, django_capture_on_commit_callbacks
):
    order, _ = checkout_order(client, **NO_INTAKE)
    intent = pay_intent_in_stripe(order)

    capture = django_capture_on_commit_callbacks
    _deliver_success(client, webhook_endpoint, order, intent, capture)
    _deliver_success(client, webhook_endpoint, order, intent, capture)  # the same event, delivered again
    _deliver_success(client, webhook_endpoint, order, intent, capture, event_id="evt_3QLumHRwZ6sL9Fz01IntakeAgain")

    reminders = _reminders()
    assert len(reminders) == 1
    assert reminders[0].to == ["camille.lune@example.com"] and order.number in reminders[0].subject
    assert "/sanctuaire/profil/" in reminders[0].body
    assert "la date de naissance et la question" in reminders[0].body
    order.refresh_from_db()
    assert order.intake_reminder_sent_at is not None
    assert OrderEvent.objects.filter(order=order, action="intake_reminder").count() == 1


def test_an_order_paid_with_its_intake_sends_no_reminder(
    client, webhook_endpoint, intuitive_premium, django_capture_on_commit_callbacks
):
    order, _ = checkout_order(client, **BIRTH)
    intent = pay_intent_in_stripe(order)

    _deliver_success(client, webhook_endpoint, order, intent, django_capture_on_commit_callbacks)

    assert _reminders() == []
    assert len(mail.outbox) == 1  # the "payée" email only


def test_a_returning_clients_profile_completes_the_paid_order_with_its_chart_and_no_reminder(
    client, webhook_endpoint, intuitive_premium, django_capture_on_commit_callbacks
):
    from tests.sanctuaire.conftest import complete_profile

    order, _ = checkout_order(client, **NO_INTAKE)
    complete_profile(order.client, birth_place="Lyon (Auvergne-Rhône-Alpes)")  # 12 April 1990, 08:30
    intent = pay_intent_in_stripe(order)

    _deliver_success(client, webhook_endpoint, order, intent, django_capture_on_commit_callbacks)

    order.refresh_from_db()
    assert order.intake_missing == [] and order.birth_place == "Lyon (Auvergne-Rhône-Alpes)"
    assert order.chart["timeKnown"] is True and order.chart["place"]["timezone"] == "Europe/Paris"
    assert order.chart["bodies"][0]["sign"] == "Bélier" and len(order.chart["houses"]) == 12
    assert _reminders() == []
