"""The expert API in the OpenAPI schema, and fuzzed from it (schemathesis): bad input is a 4xx, never a 500."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

EXPERT_PATHS = {
    "/api/expert/login", "/api/expert/token/refresh", "/api/expert/orders", "/api/expert/orders/validation-queue",
    "/api/expert/orders/{order_id}", "/api/expert/orders/{order_id}/assign", "/api/expert/process-order",
    "/api/expert/validate-content", "/api/expert/stats", "/api/expert/n8n-callback",
}


@pytest.mark.django_db
def test_every_expert_endpoint_is_in_the_openapi_schema_with_the_jwt_scheme():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert set(schema["paths"]) >= EXPERT_PATHS
    assert schema["paths"]["/api/expert/orders"]["get"]["security"] == [{"expertJwtAuth": []}]
    assert schema["components"]["securitySchemes"]["expertJwtAuth"]["scheme"] == "bearer"


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: a request must not close the connection that holds the test transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_the_expert_api_never_answers_500_to_generated_requests(expert, keep_test_connection):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application()).include(
        path_regex=r"^/api/expert/"
    )
    token = RefreshToken.for_user(expert.user).access_token
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 10

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def call(case):
            response = case.call(headers={"Authorization": f"Bearer {token}"}, environ_base={"REMOTE_ADDR": "127.0.0.1"})
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"

        call()
