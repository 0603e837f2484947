"""Expert API access: login, refresh, and who is refused (SPEC §4, §9)."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import Expert
from experts.services import expert_set_active
from tests.experts.helpers import api_for

LOGIN = "/api/expert/login"
REFRESH = "/api/expert/token/refresh"
QUEUE = "/api/expert/orders"


@pytest.mark.django_db
def test_an_expert_logs_in_with_email_and_password_and_gets_tokens(expert):
    response = APIClient().post(LOGIN, {"email": "Oriane@Lumira.local", "password": "expert-password-123"}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh", "expert"}
    assert body["expert"] == {"id": expert.pk, "name": "Oriane Lune", "email": "oriane@lumira.local", "role": "expert"}
    expert.refresh_from_db()
    assert expert.last_login_at is not None and expert.user.last_login is not None
    queue = APIClient(HTTP_AUTHORIZATION=f"Bearer {body['access']}").get(QUEUE)
    assert queue.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "password"),
    [("oriane@lumira.local", "wrong-password"), ("personne@lumira.local", "expert-password-123")],
    ids=["wrong-password", "unknown-email"],
)
def test_bad_credentials_get_401_with_the_json_error_shape(expert, email, password):
    response = APIClient().post(LOGIN, {"email": email, "password": password}, format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"
    expert.refresh_from_db()
    assert expert.last_login_at is None


@pytest.mark.django_db
def test_an_inactive_expert_cannot_log_in(inactive_expert):
    response = APIClient().post(LOGIN, {"email": "ancien@lumira.local", "password": "expert-password-123"}, format="json")
    assert response.status_code == 401


@pytest.mark.django_db
def test_a_client_with_a_password_cannot_log_in_as_an_expert(client_user):
    response = APIClient().post(LOGIN, {"email": client_user.email, "password": "not-a-real-password"}, format="json")
    assert response.status_code == 401


@pytest.mark.django_db
def test_login_without_a_password_is_a_400_listing_the_field():
    response = APIClient().post(LOGIN, {"email": "pas-un-email"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"email", "password"}


@pytest.mark.django_db
def test_login_attempts_are_rate_limited_per_address(expert, settings):
    settings.EXPERT_LOGIN_RATE = "3/m"
    client = APIClient()
    codes = [client.post(LOGIN, {"email": expert.email, "password": "nope"}, format="json").status_code for _ in range(4)]
    good = client.post(LOGIN, {"email": expert.email, "password": "expert-password-123"}, format="json")

    assert codes == [401, 401, 401, 429]
    assert good.status_code == 429 and good.json()["error"]["code"] == "rate_limited"


@pytest.mark.django_db
def test_login_answers_405_to_get():
    assert APIClient().get(LOGIN).status_code == 405


@pytest.mark.django_db
def test_a_refresh_token_gives_a_new_access_token(expert):
    refresh = RefreshToken.for_user(expert.user)
    response = APIClient().post(REFRESH, {"refresh": str(refresh)}, format="json")

    assert response.status_code == 200
    assert set(response.json()) == {"access"}


@pytest.mark.django_db
def test_a_bad_refresh_token_is_a_401():
    response = APIClient().post(REFRESH, {"refresh": "pas-un-jeton"}, format="json")
    assert response.status_code == 401


@pytest.mark.django_db
def test_a_refresh_token_of_a_deactivated_expert_is_refused(expert):
    refresh = RefreshToken.for_user(expert.user)
    Expert.objects.filter(pk=expert.pk).update(is_active=False)

    response = APIClient().post(REFRESH, {"refresh": str(refresh)}, format="json")

    assert response.status_code == 401


@pytest.mark.django_db
def test_a_client_refresh_token_gives_nothing_on_the_expert_endpoint(client_user):
    response = APIClient().post(REFRESH, {"refresh": str(RefreshToken.for_user(client_user))}, format="json")
    assert response.status_code == 401


@pytest.mark.django_db
def test_a_token_issued_before_the_expert_was_deactivated_is_refused(expert):
    api = api_for(expert.user)
    assert api.get(QUEUE).status_code == 200

    Expert.objects.filter(pk=expert.pk).update(is_active=False)

    response = api.get(QUEUE)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "expert_inactive"


@pytest.mark.django_db
def test_a_token_issued_before_the_user_was_deactivated_is_refused(expert):
    api = api_for(expert.user)
    expert_set_active(expert=expert, is_active=False)

    assert api.get(QUEUE).status_code == 401
    expert.user.refresh_from_db()
    assert expert.user.is_active is False


@pytest.mark.django_db
def test_a_client_token_from_the_sanctuaire_is_forbidden_on_the_expert_api(client_user):
    response = api_for(client_user).get(QUEUE)
    assert response.status_code == 403


@pytest.mark.django_db
def test_anonymous_requests_get_401(expert):
    for path in (QUEUE, "/api/expert/orders/validation-queue", "/api/expert/stats"):
        assert APIClient().get(path).status_code == 401
    assert APIClient().post("/api/expert/process-order", {}, format="json").status_code == 401


@pytest.mark.django_db
def test_a_garbage_bearer_token_gets_401():
    response = APIClient(HTTP_AUTHORIZATION="Bearer abc.def.ghi").get(QUEUE)
    assert response.status_code == 401
