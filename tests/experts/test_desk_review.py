"""The desk's review (issue 15): the queue by delivery target, the expert's corrections as versions, the
approval's confirmation step."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from experts.templatetags.desk_content import expert_name
from experts.templatetags.desk_queue import delivery_of
from orders.models import ContentVersion, Order, OrderStatus, VersionOutcome
from tests.engine.test_schema import _content
from tests.experts.helpers import desk, event_actions, in_validation
from tests.factories import paid_order

BODY_FIELD = "c-reading-sections-0-body"


def _paid_hours_ago(order: Order, hours: float) -> Order:
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now() - timedelta(hours=hours))
    order.refresh_from_db()
    return order


def _engine_order(expert, **kwargs) -> Order:
    """An order waiting for validation with content in the engine's schema (level 1, 30 minutes)."""
    return in_validation(expert, content=_content(1), level=1, service="basic", **kwargs)


def _edit_data(order: Order, **texts) -> dict:
    page = desk(order.expert).get(reverse("experts:content_edit", args=[order.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items() if name != "revision"}
    return {**data, "revision": order.revision_count, **texts}


# --- the queue --------------------------------------------------------------------------------------------

def test_every_order_is_due_at_payment_plus_its_tier_target(settings):
    paid = timezone.now()
    assert Order(service="vip", paid_at=paid).delivery_due_at == paid + timedelta(hours=12)
    assert Order(service="basic", paid_at=paid).delivery_due_at == paid + timedelta(hours=48)
    assert Order(service="premium", paid_at=None).delivery_due_at is None


def test_the_time_left_is_flagged_under_a_quarter_of_the_target_and_once_overdue():
    now = timezone.now()
    vip = Order(service="vip", status=OrderStatus.PAID, paid_at=now - timedelta(hours=10))  # 2 h of 12 left
    late = Order(service="basic", status=OrderStatus.PAID, paid_at=now - timedelta(hours=50))
    fresh = Order(service="premium", status=OrderStatus.PAID, paid_at=now - timedelta(hours=1))
    assert delivery_of(vip, now).state == "urgent" and delivery_of(vip, now).label == "Reste 2 h 00"
    assert delivery_of(late, now).state == "overdue" and delivery_of(late, now).label == "En retard de 2 h 00"
    assert delivery_of(fresh, now).state == "ok" and delivery_of(fresh, now).label == "Reste 23 h 00"


@pytest.mark.django_db
def test_the_queue_shows_the_soonest_delivery_first_with_tier_intake_and_flags(expert, django_assert_num_queries):
    relaxed = _paid_hours_ago(paid_order(service="basic"), 1)  # 47 h left
    overdue = _paid_hours_ago(paid_order(service="premium"), 30)  # 6 h late
    vip = _paid_hours_ago(paid_order(service="vip", question=""), 10)  # 2 h left, no question
    client = desk(expert)

    with django_assert_num_queries(7):  # session, user, expert, stats aggregate, AI cost, count, page
        html = client.get(reverse("experts:queue")).content.decode()

    rows = re.findall(r'<tr id="order-row-[^"]+" class="queue-row queue-(\w+)">.*?</tr>', html, re.S)
    numbers = [number for number in re.findall(r"(LU\d+)</a></th>", html)]
    assert numbers == [overdue.number, vip.number, relaxed.number]
    assert rows == ["overdue", "urgent", "ok"]
    assert "En retard de 6 h" in html and "Reste 2 h" in html and "Reste 1 j 23 h" in html
    assert '<span class="badge badge-vip">VIP</span>' in html
    assert "Incomplet : question" in html and html.count(">Complet<") == 2


@pytest.mark.django_db
def test_the_stats_are_drawn_with_the_queue_page_rather_than_loaded_after_it(expert):
    html = desk(expert).get(reverse("experts:queue")).content.decode()
    assert 'id="stats-panel"' in html and "Traitées aujourd'hui" in html
    assert 'hx-trigger="load"' not in html


# --- corrections ----------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_correction_form_has_a_field_per_text_of_the_current_version(expert):
    order = _engine_order(expert)
    page = desk(expert).get(reverse("experts:content_edit", args=[order.pk])).content.decode()

    assert "Corriger la lecture" in page
    for label in ("Introduction", "Section 1 — Titre", "Section 1 — Texte", "Conclusion", "Nom", "Titre"):
        assert f">{label}" in page
    assert f'name="{BODY_FIELD}"' in page and 'name="revision"' in page


@pytest.mark.django_db
def test_a_correction_becomes_a_new_version_by_the_expert_with_an_event_and_a_diff(expert):
    order = _engine_order(expert)
    body = order.generated_content["reading"]["sections"][0]["body"]
    client = desk(expert)

    response = client.post(reverse("experts:content_edit", args=[order.pk]),
                           _edit_data(order, **{BODY_FIELD: body + " Une phrase <b>ajoutée</b> par l'experte."}))

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_VALIDATION and order.revision_count == 1
    assert order.generated_content["reading"]["sections"][0]["body"].endswith("<b>ajoutée</b> par l'experte.")
    versions = list(ContentVersion.objects.filter(order=order).order_by("revision"))
    assert [(v.revision, v.outcome, v.edited_by_id) for v in versions] == [
        (0, VersionOutcome.EDITED, None), (1, VersionOutcome.PENDING, expert.user_id),
    ]
    assert event_actions(order)[-1] == "content_edited"
    page = client.get(response["Location"]).content.decode()
    assert "Correction enregistrée" in page and f"Corrigée par {expert.name}" in page
    assert expert.user.email not in page  # experts know each other by name, never by address
    # The diff shows the added words, escaped: no markup from the text reaches the page.
    assert "Une phrase &lt;b&gt;ajoutée&lt;/b&gt; par l&#x27;experte.</ins>" in page
    assert "<b>ajoutée</b>" not in page


@pytest.mark.django_db
def test_a_correction_that_empties_a_text_or_breaks_the_schema_is_refused_and_nothing_is_saved(expert):
    order = _engine_order(expert)
    client = desk(expert)

    emptied = client.post(reverse("experts:content_edit", args=[order.pk]), _edit_data(order, **{BODY_FIELD: "  "}))
    too_short = client.post(reverse("experts:content_edit", args=[order.pk]), _edit_data(order, **{BODY_FIELD: "Court."}))

    assert emptied.status_code == 400 and "Ce texte ne peut pas être vide." in emptied.content.decode()
    assert too_short.status_code == 400 and "en dessous du minimum" in too_short.content.decode()
    assert ContentVersion.objects.filter(order=order).count() == 1
    assert "content_edited" not in event_actions(order)


@pytest.mark.django_db
def test_a_correction_made_on_a_version_that_changed_since_is_refused(expert):
    order = _engine_order(expert)
    stale = _edit_data(order, **{"c-reading-intro": "Bonjour à vous."})
    client = desk(expert)
    assert client.post(reverse("experts:content_edit", args=[order.pk]), stale).status_code == 302

    again = client.post(reverse("experts:content_edit", args=[order.pk]), {**stale, "c-reading-intro": "Salut."})

    assert again.status_code == 302
    assert "rechargez la page" in client.get(again["Location"]).content.decode()
    order.refresh_from_db()
    assert order.generated_content["reading"]["intro"] == "Bonjour à vous." and order.revision_count == 1


@pytest.mark.django_db
def test_another_expert_cannot_correct_nor_open_the_correction(expert, other_expert):
    order = _engine_order(expert)
    data = _edit_data(order, **{"c-reading-intro": "Piraté."})

    response = desk(other_expert).post(reverse("experts:content_edit", args=[order.pk]), data)

    assert response.status_code == 404
    order.refresh_from_db()
    assert order.revision_count == 0


@pytest.mark.django_db
def test_a_delivered_reading_can_no_longer_be_corrected(expert):
    order = paid_order(expert=expert)
    response = desk(expert).get(reverse("experts:content_edit", args=[order.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("experts:order", args=[order.pk])


# --- approval ---------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_approving_shows_what_the_client_will_receive_before_delivering(expert, django_capture_on_commit_callbacks):
    order = _engine_order(expert)
    client = desk(expert)
    closing = {"c-reading-closing": "À bientôt, corrigé."}
    client.post(reverse("experts:content_edit", args=[order.pk]), _edit_data(order, **closing))

    panel = client.get(reverse("experts:order", args=[order.pk])).content.decode()
    confirm = client.get(reverse("experts:approve_confirm", args=[order.pk]))
    html = confirm.content.decode()

    assert f'href="{reverse("experts:approve_confirm", args=[order.pk])}"' in panel  # a link: no JavaScript needed
    assert confirm.status_code == 200 and "Aperçu de la lecture livrée" in html and "À bientôt, corrigé." in html
    assert "corrigée par Oriane Lune" in html and "Confirmer : livrer cette lecture" in html
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_VALIDATION  # looking delivers nothing

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("experts:validate", args=[order.pk]), {"action": "approve", "notes": ""})
    order.refresh_from_db()
    assert done.status_code == 302 and order.status == OrderStatus.COMPLETED
    assert order.generated_content["reading"]["closing"] == "À bientôt, corrigé."


@pytest.mark.django_db
def test_the_approval_preview_names_the_correcting_expert_by_name_not_by_email(expert, other_expert):
    order = _engine_order(expert)
    desk(expert).post(reverse("experts:content_edit", args=[order.pk]),
                      _edit_data(order, **{"c-reading-closing": "À bientôt, corrigé."}))
    Order.objects.filter(pk=order.pk).update(expert=other_expert)  # an admin hands the review over

    html = desk(other_expert).get(reverse("experts:approve_confirm", args=[order.pk])).content.decode()

    assert "(version 2, corrigée par Oriane Lune)" in html
    assert expert.user.email not in html


def test_an_account_without_an_expert_profile_is_named_by_its_full_name_and_only_then_its_email():
    assert expert_name(User(email="staff@lumira.local", first_name="Camille", last_name="Roux")) == "Camille Roux"
    assert expert_name(User(email="staff@lumira.local")) == "staff@lumira.local"


@pytest.mark.django_db
def test_the_confirmation_page_of_an_order_not_awaiting_validation_sends_back_to_the_order(expert):
    order = paid_order(expert=expert)
    response = desk(expert).get(reverse("experts:approve_confirm", args=[order.pk]))
    assert response.status_code == 302


@pytest.mark.django_db
def test_corrected_versions_stay_encrypted_at_rest(expert):
    order = _engine_order(expert)
    desk(expert).post(reverse("experts:content_edit", args=[order.pk]),
                      _edit_data(order, **{"c-reading-intro": "Phrase-témoin-secrète."}))
    with connection.cursor() as cursor:
        cursor.execute("SELECT content::text FROM orders_contentversion WHERE order_id = %s", [order.pk])
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert "Phrase-témoin-secrète" not in stored
