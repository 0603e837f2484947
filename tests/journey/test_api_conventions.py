"""Conventions of the whole API that the fuzzing relies on: one JSON error shape everywhere under /api/,
page numbers as documented."""

import pytest
from rest_framework.test import APIClient

from tests.experts.helpers import api_for

pytestmark = pytest.mark.django_db


def test_an_api_url_that_no_route_matches_answers_404_in_the_error_shape():
    response = APIClient().get("/api/expert/orders/not-a-uuid")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": {"code": "not_found", "message": "Ressource introuvable."}}


def test_a_page_url_that_no_route_matches_keeps_the_html_404_page(client):
    response = client.get("/sanctuaire/lectures/not-a-uuid/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("page", ["last", "", "1.0", " 1", "abc"])
def test_a_page_that_is_not_a_page_number_is_a_404(expert, page):
    response = api_for(expert.user).get("/api/expert/orders", {"page": page})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_page_number_in_range_is_served(expert):
    response = api_for(expert.user).get("/api/expert/orders", {"page": "1"})

    assert response.status_code == 200 and response.json()["count"] == 0


def test_an_expired_or_forged_token_is_a_401_with_a_readable_message():
    response = APIClient().get("/api/expert/orders", HTTP_AUTHORIZATION="Bearer not.a.token")

    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "token_not_valid"
    assert "ErrorDetail" not in error["message"] and "{" not in error["message"]


def test_an_accept_header_the_api_cannot_answer_is_a_documented_406(expert):
    response = api_for(expert.user).get("/api/expert/stats", HTTP_ACCEPT="text/csv")

    assert response.status_code == 406
    assert response.json()["error"]["code"] == "not_acceptable"
