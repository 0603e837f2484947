"""The expert desk on one order: its page, taking, generating, validating, assigning, the history (htmx fragments)."""

import html

import pytest
from django.core import mail
from django.urls import reverse

from orders.models import OrderStatus, VersionOutcome
from tests.experts.helpers import HTMX, assert_desk_refused, desk, in_validation, processing, version_rows
from tests.factories import create_order, paid_order

# --- one order ----------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_order_page_shows_the_client_inputs_and_a_prompt_prefilled_for_the_level(expert):
    order = paid_order(expert=expert, level=4, service="vip", birth_place="Lyon", question="Où vais-je ?")
    page = desk(expert).get(reverse("experts:order", args=[order.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Lyon" in html and "Où vais-je ?" in html
    assert "Niveau Intégrale" in html  # the level's prompt template
    assert "Envoyer en génération" in html


@pytest.mark.django_db
def test_an_order_held_by_another_expert_is_a_404(expert, other_expert):
    order = paid_order(expert=other_expert)
    assert desk(expert).get(reverse("experts:order", args=[order.pk])).status_code == 404
    assert desk(expert).get(reverse("experts:order", args=[create_order().pk])).status_code == 404


@pytest.mark.django_db
def test_taking_from_the_queue_with_htmx_swaps_the_row(expert):
    order = paid_order()
    response = desk(expert).post(reverse("experts:take", args=[order.pk]), HTTP_HX_TARGET=f"order-row-{order.pk}", **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<tr id="order-row-{order.pk}"') and "À vous" in html
    order.refresh_from_db()
    assert order.expert == expert


@pytest.mark.django_db
def test_the_expert_who_loses_the_race_for_an_order_sees_a_clear_message(expert, other_expert):
    order = paid_order()
    desk(other_expert).post(reverse("experts:take", args=[order.pk]))

    row = desk(expert).post(reverse("experts:take", args=[order.pk]), HTTP_HX_TARGET=f"order-row-{order.pk}", **HTMX)
    page = desk(expert).post(reverse("experts:take", args=[order.pk]), follow=True)

    assert row.status_code == 409
    assert "déjà prise par un autre expert" in row.content.decode()
    assert "Elias Soleil" not in row.content.decode() and order.number not in row.content.decode()
    assert "déjà prise par un autre expert" in page.content.decode()
    order.refresh_from_db()
    assert order.expert == other_expert


@pytest.mark.django_db
def test_a_refused_take_with_a_forged_row_target_shows_nothing_of_another_experts_order(expert, other_expert):
    order = paid_order(expert=other_expert, client_name="Bruno Secret", level=4, service="vip")

    response = desk(expert).post(reverse("experts:take", args=[order.pk]), HTTP_HX_TARGET=f"order-row-{order.pk}", **HTMX)

    body = response.content.decode()
    assert response.status_code == 409
    assert "déjà prise par un autre expert" in body
    for leak in ("Bruno Secret", order.number, "Elias Soleil", "Intégrale", "Payée", str(order.pk)[:8] + "/"):
        assert leak not in body
    order.refresh_from_db()
    assert order.expert == other_expert


@pytest.mark.django_db
def test_take_answers_405_to_get(expert):
    assert desk(expert).get(reverse("experts:take", args=[paid_order().pk])).status_code == 405


@pytest.mark.django_db
def test_generating_from_the_desk_shows_the_content_to_validate(expert, django_capture_on_commit_callbacks):
    order = paid_order(expert=expert, level=3, service="basic")
    client = desk(expert)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("experts:generate", args=[order.pk]), {"prompt": "Lis.", "instructions": ""})
    page = client.get(response["Location"]).content.decode()

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_VALIDATION
    # The page escapes the archetype ("L'Ermite" is "L&#x27;Ermite" in HTML).
    assert "Contenu à valider" in page and html.escape(order.generated_content["archetype"]["name"]) in page
    assert "Mandala" in page and order.generated_content["mandala"]["colors"][0] in page  # level 3: its choices
    # The AI runs table: the local writer, no cost.
    assert "Appels à l'IA : 1" in page and "Contenu valide" in page
    assert "Approuver et livrer" in page and "Rejeter et demander une révision" in page


@pytest.mark.django_db
def test_while_generation_runs_the_panel_polls_and_htmx_gets_the_fragment(expert):
    order = processing(expert)
    client = desk(expert)

    page = client.get(reverse("experts:order", args=[order.pk])).content.decode()
    fragment = client.get(reverse("experts:order", args=[order.pk]), **HTMX).content.decode()

    assert 'hx-trigger="every 2s"' in page and "Génération en cours" in page
    assert fragment.lstrip().startswith("<section") and "<html" not in fragment


@pytest.mark.django_db
def test_generating_without_a_prompt_shows_the_form_error(expert):
    order = paid_order(expert=expert)
    response = desk(expert).post(reverse("experts:generate", args=[order.pk]), {"prompt": "  "})
    assert_desk_refused(response, 400, "Ce champ est obligatoire.", order, OrderStatus.PAID)


@pytest.mark.django_db
def test_rejecting_without_a_reason_shows_an_error_in_the_panel(expert):
    order = in_validation(expert)
    response = desk(expert).post(reverse("experts:validate", args=[order.pk]), {"action": "reject", "reason": ""}, **HTMX)
    assert_desk_refused(response, 400, "Indiquez le motif du rejet.", order, OrderStatus.AWAITING_VALIDATION)


@pytest.mark.django_db
def test_rejecting_then_approving_from_the_desk(expert, django_capture_on_commit_callbacks):
    order = in_validation(expert)
    client = desk(expert)

    with django_capture_on_commit_callbacks(execute=True):
        rejected = client.post(reverse("experts:validate", args=[order.pk]),
                               {"action": "reject", "reason": "Plus de concret", "notes": "Parler du travail"}, **HTMX)
    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(reverse("experts:validate", args=[order.pk]), {"action": "approve", "notes": "Bien"}, **HTMX)

    assert rejected.status_code == 200 and approved.status_code == 200
    assert "une révision a été demandée" in rejected.content.decode()
    assert "Lecture livrée le" in approved.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED and order.revision_count == 1
    assert version_rows(order) == [(0, VersionOutcome.REJECTED), (1, VersionOutcome.APPROVED)]
    assert [message.to for message in mail.outbox] == [[expert.email], [order.client_email]]


@pytest.mark.django_db
def test_validating_an_order_in_another_state_shows_a_conflict(expert):
    order = processing(expert)
    response = desk(expert).post(reverse("experts:validate", args=[order.pk]), {"action": "approve"}, **HTMX)
    assert response.status_code == 409
    assert "impossible" in response.content.decode()


@pytest.mark.django_db
def test_acting_on_another_experts_order_shows_a_conflict_without_the_order(expert, other_expert):
    order = in_validation(other_expert)
    response = desk(expert).post(reverse("experts:validate", args=[order.pk]), {"action": "approve"}, **HTMX)
    assert response.status_code == 409
    html = response.content.decode()
    assert "prise par un autre expert" in html and order.client_email not in html


@pytest.mark.django_db
def test_an_admin_assigns_an_order_from_the_desk(admin_expert, expert, django_capture_on_commit_callbacks):
    order = paid_order()
    client = desk(admin_expert)
    assert "Attribuer à" in client.get(reverse("experts:order", args=[order.pk])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("experts:assign", args=[order.pk]), {"expert": expert.pk})

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.expert == expert
    assert mail.outbox[0].to == [expert.email]


@pytest.mark.django_db
def test_the_history_lists_versions_and_events(expert):
    order = in_validation(expert)
    html = desk(expert).get(reverse("experts:order", args=[order.pk])).content.decode()
    assert "Version 1" in html and "Contenu reçu" in html and "Envoyée en génération" in html


@pytest.mark.django_db
def test_the_order_page_shows_the_exact_messages_that_will_be_sent(expert):
    order = paid_order(expert=expert, question="Où va ma vie ?", client_name="Camille Secret-Nom")

    page = desk(expert).get(reverse("experts:order", args=[order.pk])).content.decode()

    block = page[page.index('<details class="generation-request">'):]
    block = block[:block.index("</details>")]
    assert "Ce qui sera envoyé" in block and "Consignes générales (système)" in block
    assert "Où va ma vie ?" in block and "vouvoiement" in block and "1500 mots" in block
    assert "Secret-Nom" not in block and html.escape(order.client_email) not in block
    # The editable boxes above it say they leave as written.
    assert "Prompt : envoyé tel quel à l'IA rédactrice" in html.unescape(page)
    assert "Consignes : envoyées telles quelles à l'IA rédactrice" in html.unescape(page)


@pytest.mark.django_db
def test_the_desk_sends_the_version_it_displays_and_a_page_older_than_the_content_is_refused(
    expert, django_capture_on_commit_callbacks
):
    order = in_validation(expert)
    client = desk(expert)
    page = client.get(reverse("experts:order", args=[order.pk])).content.decode()
    assert page.count('name="version" value="0"') == 1  # the reject form (approval goes through its preview)
    preview = client.get(reverse("experts:approve_confirm", args=[order.pk])).content.decode()
    assert 'name="version" value="0"' in preview
    with django_capture_on_commit_callbacks(execute=True):  # rejected in another tab; revision 1 lands
        client.post(reverse("experts:validate", args=[order.pk]), {"action": "reject", "reason": "Plus", "version": "0"})

    stale = client.post(reverse("experts:validate", args=[order.pk]), {"action": "approve", "version": "0"}, **HTMX)

    assert stale.status_code == 409 and "Rechargez la commande" in html.unescape(stale.content.decode())
    order.refresh_from_db()
    assert (order.status, order.revision_count) == (OrderStatus.AWAITING_VALIDATION, 1)
    assert 'name="version" value="1"' in stale.content.decode()  # the panel now shows the current version
