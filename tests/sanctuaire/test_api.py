import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken
from sesame.utils import get_token

from accounts.models import ClientProfile
from orders import services as order_services
from tests.factories import paid_order

from .conftest import CONTENT, MARKS, complete_profile, completed_order

TOKEN = reverse("sanctuaire:api_token")
PROFILE = reverse("sanctuaire:api_profile")
READINGS = reverse("sanctuaire:api_readings")
ENTITLEMENTS = reverse("sanctuaire:api_entitlements")


@pytest.fixture
def api():
    return APIClient()


def _bearer(api: APIClient, user) -> APIClient:
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return api


@pytest.mark.django_db
def test_a_magic_link_token_is_exchanged_once_for_jwts_that_open_the_api(api, client_user):
    token = get_token(client_user)

    response = api.post(TOKEN, {"token": token}, format="json")

    assert response.status_code == 200 and set(response.json()) == {"access", "refresh"}
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert api.get(PROFILE).json()["email"] == client_user.email
    api.credentials()
    reused = api.post(TOKEN, {"token": token}, format="json")
    assert reused.status_code == 401 and reused.json()["error"]["code"] == "invalid_token"


@pytest.mark.django_db
def test_the_refresh_token_gives_a_new_access_token(api, client_user):
    refresh = api.post(TOKEN, {"token": get_token(client_user)}, format="json").json()["refresh"]
    response = api.post(reverse("sanctuaire:api_token_refresh"), {"refresh": refresh}, format="json")
    assert response.status_code == 200 and "access" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "status", "code"), [({}, 400, "invalid"), ({"token": "nope"}, 401, "invalid_token")])
def test_a_missing_or_bad_token_is_refused_in_the_error_shape(api, body, status, code):
    response = api.post(TOKEN, body, format="json")
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


@pytest.mark.django_db
def test_token_exchange_is_rate_limited(api, settings, client_user):
    settings.SANCTUAIRE_TOKEN_RATE_PER_IP = "2/m"
    statuses = [api.post(TOKEN, {"token": "nope"}, format="json").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    assert api.post(TOKEN, {"token": get_token(client_user)}, format="json").json()["error"]["code"] == "throttled"


@pytest.mark.django_db
@pytest.mark.parametrize("url", [PROFILE, READINGS, ENTITLEMENTS])
def test_the_api_needs_a_jwt(api, url):
    response = api.get(url)
    assert response.status_code == 401 and "error" in response.json()


@pytest.mark.django_db
def test_the_profile_reads_in_camel_case(api, client_user):
    complete_profile(client_user)
    body = _bearer(api, client_user).get(PROFILE).json()
    assert body == {
        "email": "client.a@example.com", "name": "Alice Martin", "birthDate": "1990-04-12", "birthTime": "08:30",
        "birthPlace": "Lyon, France", "question": "Quelle direction pour ma carrière ?", "objective": "Retrouver confiance.",
        "isComplete": True, "facePhotoUrl": None, "palmPhotoUrl": None,
    }


@pytest.mark.django_db
def test_an_empty_profile_reads_as_incomplete_without_being_created(api, client_user):
    body = _bearer(api, client_user).get(PROFILE).json()
    assert body["isComplete"] is False and body["birthDate"] is None
    assert not ClientProfile.objects.exists()


@pytest.mark.django_db
def test_patching_the_profile_saves_it_and_reaches_paid_orders(api, client_user):
    order = paid_order(client=client_user)
    _bearer(api, client_user)

    first = api.patch(PROFILE, {"birthDate": "1985-02-03", "birthPlace": "Lille"}, format="json")
    second = api.patch(
        PROFILE, {"birthTime": "23:05", "question": "Q ?", "objective": "O."}, format="json"
    )

    assert first.status_code == 200 and first.json()["isComplete"] is False
    assert second.status_code == 200 and second.json()["isComplete"] is True
    order.refresh_from_db()
    assert (order.birth_date, order.birth_time, order.birth_place, order.question) == (
        datetime.date(1985, 2, 3), "23:05", "Lille (Hauts-de-France)", "Q ?"
    )


@pytest.mark.django_db
def test_bad_profile_input_is_a_400_in_the_error_shape_and_saves_nothing(api, client_user):
    response = _bearer(api, client_user).patch(
        PROFILE, {"birthDate": "2999-01-01", "birthTime": "midi", "birthPlace": ""}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and set(error["fields"]) == {"birthDate", "birthTime", "birthPlace"}
    assert not ClientProfile.objects.exists()


@pytest.mark.django_db
def test_a_number_where_text_is_expected_is_refused(api, client_user):
    response = _bearer(api, client_user).patch(PROFILE, {"objective": 123, "question": True}, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"objective", "question"}
    assert not ClientProfile.objects.exists()


@pytest.mark.django_db
def test_put_on_the_profile_is_not_allowed(api, client_user):
    assert _bearer(api, client_user).put(PROFILE, {}, format="json").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_readings_and_entitlements_follow_the_level(api, client_user, level):
    order = completed_order(client=client_user, level=level)
    _bearer(api, client_user)

    readings = api.get(READINGS).json()
    entitlements = api.get(ENTITLEMENTS).json()

    assert readings["count"] == 1
    reading = readings["results"][0]
    assert reading["orderId"] == str(order.pk) and reading["orderNumber"] == order.number
    expected_keys = {"title", "archetype", "reading"} | ({"ritual"} if level >= 2 else set()) | (
        {"mandala", "synthesis"} if level >= 3 else set()) | ({"guidance"} if level >= 4 else set())
    assert set(reading["content"]) == expected_keys
    assert entitlements["level"] == level
    unlocked = {section["key"] for section in entitlements["sections"] if section["unlocked"]}
    assert unlocked == {
        1: {"reading", "pdf"},
        2: {"reading", "pdf", "ritual", "audio"},
        3: {"reading", "pdf", "ritual", "audio", "mandala", "synthesis", "chart"},
        4: {"reading", "pdf", "ritual", "audio", "mandala", "synthesis", "chart", "guidance"},
    }[level]
    assert set(reading["lockedSections"]) == {s["key"] for s in entitlements["sections"]} - unlocked
    for section in entitlements["sections"]:
        assert (section["upgradeUrl"] is None) is section["unlocked"]


@pytest.mark.django_db
def test_a_refund_withdraws_the_level_and_the_reading(api, client_user):
    order = completed_order(client=client_user, level=3)
    order_services.order_refund(order_id=order.pk)
    _bearer(api, client_user)

    assert api.get(READINGS).json()["count"] == 0
    entitlements = api.get(ENTITLEMENTS).json()
    assert entitlements["level"] == 0 and not any(s["unlocked"] for s in entitlements["sections"])
    assert entitlements["sections"][0]["upgradeUrl"] == "/commander/?level=simple&service=premium"


@pytest.mark.django_db
def test_readings_list_only_delivered_readings_of_this_client(api, client_user, other_client_user):
    mine = completed_order(client=client_user, level=1)
    paid_order(client=client_user)
    completed_order(client=other_client_user, level=4)

    body = _bearer(api, client_user).get(READINGS).json()

    assert [r["orderId"] for r in body["results"]] == [str(mine.pk)]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_the_readings_query_count_does_not_grow_with_readings(api, client_user, django_assert_num_queries, count):
    for _ in range(count):
        completed_order(client=client_user, level=2)
    _bearer(api, client_user)

    # user (JWT), access level, count, page of readings
    with django_assert_num_queries(4):
        response = api.get(READINGS)

    assert response.json()["count"] == count


@pytest.mark.django_db
def test_another_clients_reading_and_pdf_are_404_in_the_api(api, client_user, other_client_user):
    theirs = completed_order(client=other_client_user, level=4)
    _bearer(api, client_user)

    for name in ("api_reading", "api_reading_pdf"):
        response = api.get(reverse(f"sanctuaire:{name}", args=[theirs.pk]))
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_a_reading_and_its_pdf_through_the_api(api, client_user):
    order = completed_order(client=client_user, level=1)
    _bearer(api, client_user)

    reading = api.get(reverse("sanctuaire:api_reading", args=[order.pk])).json()
    pdf = api.get(reading["pdfUrl"], HTTP_ACCEPT="application/pdf")

    assert reading["content"]["reading"] == CONTENT["reading"]
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert MARKS["reading"] in text and MARKS["ritual"] not in text


@pytest.mark.django_db
def test_an_inactive_client_cannot_use_the_api(api, client_user):
    _bearer(api, client_user)
    client_user.is_active = False
    client_user.save()
    assert api.get(PROFILE).status_code == 401
