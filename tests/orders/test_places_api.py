"""GET /api/places: birth-place suggestions from the offline gazetteer for the order and profile forms."""

import pytest
from django.core.cache import cache
from django.urls import reverse

PLACES = reverse("orders:api_places")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_suggestions_list_every_city_of_an_ambiguous_name_without_sign_in(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):  # from memory: no session, no database
        response = client.get(PLACES, {"q": "Saint-Denis"})

    assert response.status_code == 200
    places = response.json()["places"]
    assert "Saint-Denis (La Réunion)" in places and "Saint-Denis (Île-de-France)" in places
    assert len(places) <= 8


def test_a_single_letter_gets_no_suggestions(client):
    assert client.get(PLACES, {"q": "L"}).json() == {"places": []}


def test_an_overlong_query_is_a_400_in_the_error_shape(client):
    response = client.get(PLACES, {"q": "x" * 101})

    assert response.status_code == 400 and "q" in response.json()["error"]["fields"]


def test_suggestions_are_rate_limited_per_address(client, settings):
    settings.PLACES_SUGGEST_RATE = "3/m"

    codes = [client.get(PLACES, {"q": "Lyo"}).status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]
    assert client.get(PLACES, {"q": "Lyo"}).json()["error"]["code"] == "rate_limited"


def test_the_order_page_offers_the_suggestions_list(client, db):
    page = client.get(reverse("payments:order")).content.decode()

    assert 'list="birth-place-options"' in page and '<datalist id="birth-place-options">' in page
    assert f'data-places-url="{PLACES}"' in page
    assert "Je ne connais pas l&#x27;heure" in page or "Je ne connais pas l'heure" in page
