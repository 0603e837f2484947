"""The desk speaks French by default and English when the expert chooses it in the footer (the same cookie as
the storefront's switch); the French reads as before."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.experts.helpers import in_validation
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
