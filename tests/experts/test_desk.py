"""The expert desk (templated pages, session login, htmx fragments)."""

import html

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Expert
from experts.services import expert_set_active
from orders.models import OrderStatus, VersionOutcome
from tests.experts.helpers import in_validation, processing, version_rows
from tests.factories import create_order, paid_order

HTMX = {"HTTP_HX_REQUEST": "true"}


def desk(expert) -> Client:
    client = Client()
    client.force_login(expert.user)
    return client


# --- login ------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_login_page_has_a_labelled_form(client):
    page = client.get(reverse("experts:login"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<label for="id_email">' in html and '<label for="id_password">' in html


@pytest.mark.django_db
def test_an_expert_signs_in_to_the_desk_and_lands_on_the_queue(client, expert):
    response = client.post(reverse("experts:login"), {"email": "oriane@lumira.local", "password": "expert-password-123"})

    assert response.status_code == 302 and response["Location"] == reverse("experts:queue")
    expert.refresh_from_db()
    assert expert.last_login_at is not None
    assert client.get(reverse("experts:queue")).status_code == 200


@pytest.mark.django_db
def test_the_login_follows_a_safe_next_and_ignores_an_outside_one(client, expert):
    order = paid_order()
    inside = client.post(reverse("experts:login") + f"?next=/desk/orders/{order.pk}/",
                         {"email": expert.email, "password": "expert-password-123"})
    client.logout()
    outside = client.post(reverse("experts:login") + "?next=https://evil.example/",
                          {"email": expert.email, "password": "expert-password-123"})
    assert inside["Location"] == f"/desk/orders/{order.pk}/"
    assert outside["Location"] == reverse("experts:queue")


@pytest.mark.django_db
def test_a_wrong_password_shows_a_french_error_and_opens_no_session(client, expert):
    response = client.post(reverse("experts:login"), {"email": expert.email, "password": "faux"})

    assert response.status_code == 401
    assert "E-mail ou mot de passe incorrect" in response.content.decode()
    assert client.get(reverse("experts:queue")).status_code == 302


@pytest.mark.django_db
def test_an_inactive_expert_cannot_sign_in_to_the_desk(client, inactive_expert):
    response = client.post(reverse("experts:login"), {"email": "ancien@lumira.local", "password": "expert-password-123"})
    assert response.status_code == 401
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_session_opened_before_deactivation_is_closed_at_the_next_request(expert):
    client = desk(expert)
    Expert.objects.filter(pk=expert.pk).update(is_active=False)

    response = client.get(reverse("experts:queue"))

    assert response.status_code == 302 and response["Location"] == reverse("experts:login")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_deactivated_user_loses_the_desk_too(expert):
    client = desk(expert)
    expert_set_active(expert=expert, is_active=False)
    assert client.get(reverse("experts:queue"))["Location"].startswith(reverse("experts:login"))


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_desk_login(client):
    response = client.get(reverse("experts:validation_queue"))
    assert response.status_code == 302
    assert response["Location"] == reverse("experts:login") + "?next=/desk/validation/"


@pytest.mark.django_db
def test_a_signed_in_client_is_forbidden_on_the_desk(client, client_user):
    client.force_login(client_user)
    assert client.get(reverse("experts:queue")).status_code == 403


@pytest.mark.django_db
def test_logout_is_a_post(expert):
    client = desk(expert)
    assert client.get(reverse("experts:logout")).status_code == 405
    assert client.post(reverse("experts:logout")).status_code == 302
    assert client.get(reverse("experts:queue")).status_code == 302


@pytest.mark.django_db
def test_desk_login_attempts_are_rate_limited(client, expert, settings):
    settings.EXPERT_LOGIN_RATE = "2/m"
    codes = [client.post(reverse("experts:login"), {"email": expert.email, "password": "x"}).status_code for _ in range(3)]
    assert codes == [401, 401, 429]


# --- queue, validation queue, stats -----------------------------------------------------------------------

@pytest.mark.django_db
def test_the_queue_page_lists_paid_orders_with_a_constant_number_of_queries(expert, other_expert, django_assert_num_queries):
    client = desk(expert)
    mine = paid_order(expert=expert)
    unassigned = paid_order()
    theirs = paid_order(expert=other_expert)

    # session, user, expert, the stats aggregate and the AI runs' cost (drawn with the page), count, page of
    # orders with their expert
    with django_assert_num_queries(7):
        page = client.get(reverse("experts:queue"))
    for _ in range(25):
        paid_order()
    with django_assert_num_queries(7):  # the same seven for a full page
        full = client.get(reverse("experts:queue"))

    html = page.content.decode()
    assert mine.number in html and unassigned.number in html and theirs.number not in html
    assert "À vous" in html and "Prendre" in html
    assert full.content.decode().count('<tr id="order-row-') == 20
    assert "Page 1 sur 2" in full.content.decode()


@pytest.mark.django_db
def test_the_queue_page_filters_by_status_and_level_and_keeps_filters_across_pages(expert):
    client = desk(expert)
    simple = paid_order(level=1, service="basic")
    running = processing(expert)

    by_level = client.get(reverse("experts:queue"), {"status": "paid", "level": "1"}).content.decode()
    by_status = client.get(reverse("experts:queue"), {"status": "processing"}).content.decode()
    everything = client.get(reverse("experts:queue"), {"status": ""}).content.decode()

    assert simple.number in by_level and running.number not in by_level
    assert running.number in by_status and simple.number not in by_status
    assert simple.number in everything and running.number in everything


@pytest.mark.django_db
def test_an_unknown_filter_falls_back_to_paid_orders(expert):
    client = desk(expert)
    order = paid_order()
    response = client.get(reverse("experts:queue"), {"status": "pending", "level": "9"})
    assert response.status_code == 200 and order.number in response.content.decode()


@pytest.mark.django_db
def test_the_validation_queue_page_previews_content_with_a_constant_number_of_queries(expert, django_assert_num_queries):
    client = desk(expert)
    order = in_validation(expert, content={"archetype": "Le Soleil", "reading": "Une belle lumière vous attend."})

    with django_assert_num_queries(5):  # session, user, expert, count, page of orders
        page = client.get(reverse("experts:validation_queue"))
    for _ in range(5):
        in_validation(expert)
    with django_assert_num_queries(5):
        client.get(reverse("experts:validation_queue"))

    html = page.content.decode()
    assert order.number in html and "Le Soleil" in html and "Une belle lumière" in html


@pytest.mark.django_db
def test_the_stats_page_and_panel_count_orders_per_status(expert, django_assert_num_queries):
    client = desk(expert)
    paid_order()
    paid_order()
    processing(expert)

    with django_assert_num_queries(5):  # session, user, expert, the counts, the AI cost
        page = client.get(reverse("experts:stats"))
    panel = client.get(reverse("experts:stats"), **HTMX)

    html = page.content.decode()
    assert "<h1>Statistiques</h1>" in html and "Traitées aujourd'hui" in html and "Coût estimé de l'IA" in html
    assert "<dt>Payée</dt><dd>2</dd>" in html and "<dt>En cours de génération</dt><dd>1</dd>" in html
    assert "<html" not in panel.content.decode() and "<dd>2</dd>" in panel.content.decode()


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
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


@pytest.mark.django_db
def test_rejecting_without_a_reason_shows_an_error_in_the_panel(expert):
    order = in_validation(expert)
    response = desk(expert).post(reverse("experts:validate", args=[order.pk]), {"action": "reject", "reason": ""}, **HTMX)
    assert response.status_code == 400
    assert "Indiquez le motif du rejet." in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_VALIDATION


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
def test_a_failed_login_keeps_where_the_expert_was_going(client, expert):
    response = client.post(reverse("experts:login"), {"email": expert.email, "password": "faux", "next": "/desk/validation/"})
    assert 'name="next" value="/desk/validation/"' in response.content.decode()


@pytest.mark.django_db
def test_the_order_page_shows_the_exact_messages_that_will_be_sent(expert):
    order = paid_order(expert=expert, question="Où va ma vie ?", client_name="Camille Secret-Nom")

    page = desk(expert).get(reverse("experts:order", args=[order.pk])).content.decode()

    block = page[page.index('<details class="generation-request">'):]
    block = block[:block.index("</details>")]
    assert "Ce qui sera envoyé" in block and "Consignes générales (système)" in block
    assert "Où va ma vie ?" in block and "vouvoiement" in block and "1500 mots" in block
    assert "Secret-Nom" not in block and html.escape(order.client_email) not in block


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
