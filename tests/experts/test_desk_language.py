"""The desk speaks French by default and English when the expert chooses it in the footer (the same cookie as
the storefront's switch); the French reads as before."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from experts.generation import QUEUE_UNAVAILABLE
from tests.experts.helpers import api_for, in_validation, processing
from tests.factories import paid_order

HTMX = {"HTTP_HX_REQUEST": "true"}


def desk(expert, language: str | None = None) -> Client:
    client = Client()
    client.force_login(expert.user)
    if language:
        client.cookies["django_language"] = language
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected", "absent"), [
    ("fr", ["File d'attente", "Statistiques", "Traitées aujourd'hui", "Délai de livraison", "1 commande",
            "Tous les statuts en cours", "Prendre"], "Queue"),
    ("en", ["Queue", "Statistics", "Processed today", "Delivery target", "1 order", "All current statuses",
            "Take"], "File d'attente"),
])
def test_the_queue_speaks_the_language_the_expert_chose(expert, language, expected, absent):
    paid_order()

    page = desk(expert, language).get(reverse("experts:queue")).content.decode()

    assert f'<html lang="{language}">' in page
    for text in expected:
        assert text.replace("'", "&#x27;") in page or text in page, text
    assert absent not in page


@pytest.mark.django_db
def test_the_order_page_and_its_htmx_panel_speak_english_when_chosen(expert):
    order = in_validation(expert)
    english = desk(expert, "en")

    page = english.get(reverse("experts:order", args=[order.pk])).content.decode()
    panel = english.get(reverse("experts:order", args=[order.pk]), **HTMX).content.decode()

    for text in ["The client's request", "Date of birth", "Content to validate", "Correct the text",
                 "Reject and ask for a revision", "Reason for rejection (required)", "Sent to generation"]:
        assert text in page, text
    assert "Reject and ask for a revision" in panel and "Content to validate" in panel
    for french in ["Demande du client", "Contenu à valider", "Rejeter et demander une révision", "Envoyée en génération"]:
        assert french not in page and french not in panel


@pytest.mark.django_db
def test_the_order_page_stays_french_by_default(expert):
    order = in_validation(expert)

    page = desk(expert).get(reverse("experts:order", args=[order.pk])).content.decode()

    for text in ["Demande du client", "Contenu à valider", "Corriger le texte", "Rejeter et demander une révision",
                 "Motif du rejet (obligatoire)", "Envoyée en génération"]:
        assert text in page, text
    assert "Content to validate" not in page


@pytest.mark.django_db
def test_a_refused_action_answers_in_the_chosen_language(expert):
    order = in_validation(expert)

    response = desk(expert, "en").post(reverse("experts:validate", args=[order.pk]),
                                       {"action": "reject", "reason": "", "version": order.revision_count}, **HTMX)

    assert "Give the reason for the rejection." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), [
    (None, "La commande {number} est « Payée » : passage à « Livrée » impossible."),
    ("en", "Order {number} is “Paid”: it cannot move to “Delivered”."),
])
def test_an_invalid_transition_on_the_desk_reads_in_the_chosen_language(expert, language, expected):
    order = paid_order(expert=expert)  # not generated yet: nothing to approve

    response = desk(expert, language).post(reverse("experts:validate", args=[order.pk]),
                                           {"action": "approve", "version": 0}, **HTMX)

    assert response.status_code == 409
    assert expected.format(number=order.number) in html.unescape(response.content.decode())
    order.refresh_from_db()
    assert order.status == "paid"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), [
    (None, "Cette commande est déjà prise par un autre expert."),
    ("en", "This order is already taken by another expert."),
])
def test_the_api_refuses_an_order_held_by_another_expert_in_the_chosen_language(expert, other_expert, language,
                                                                                expected):
    order = paid_order(expert=expert)
    api = api_for(other_expert.user)
    if language:
        api.cookies["django_language"] = language

    response = api.post(f"/api/expert/orders/{order.pk}/assign")

    assert response.status_code == 409
    assert response.json()["error"] == {"code": "already_assigned", "message": expected}


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), [
    (None, "File de génération indisponible : la commande reste « en cours » et sera envoyée automatiquement "
           "dès le retour du service (balayage des commandes bloquées)."),
    ("en", "Generation queue unavailable: the order stays “in progress” and will be sent automatically "
           "as soon as the service is back (sweep of stuck orders)."),
])
def test_the_queue_unavailable_error_is_stored_once_and_shown_in_the_chosen_language(expert, language, expected):
    order = processing(expert)
    order.last_error = QUEUE_UNAVAILABLE
    order.save(update_fields=["last_error"])

    page = html.unescape(desk(expert, language).get(reverse("experts:order", args=[order.pk])).content.decode())
    api = api_for(expert.user)
    if language:
        api.cookies["django_language"] = language
    detail = api.get(f"/api/expert/orders/{order.pk}").json()["order"]

    assert expected in page
    assert detail["lastError"] == expected
