"""The whole API in OpenAPI: every /api/ route of the URLconf documented with its answers and its errors,
and fuzzed from the schema by schemathesis as three personas (anonymous, a client's JWT, an expert's JWT):
no 5xx, and every answer as the schema says (status code, content type, body)."""

import json
import os
import re

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import ClientProfile
from tests.experts.helpers import in_validation
from tests.factories import ExpertFactory, UserFactory, offer, paid_order
from tests.sanctuaire.conftest import completed_order

NOT_API = {"/api/schema/", "/api/docs/"}


def _raw_schema() -> dict:
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


def _api_routes() -> dict[str, list[str]]:
    """Every /api/ route of the URLconf as an OpenAPI path, with the HTTP methods its view answers."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    routes = {}
    for route, callback in walk(get_resolver().url_patterns):
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        if not path.startswith("/api/") or path in NOT_API:
            continue
        view = callback.cls
        routes[path] = sorted(m for m in view.http_method_names if hasattr(view, m) and m not in {"head", "options"})
    return routes


RAW_SCHEMA = _raw_schema()
SCHEMA = schemathesis.openapi.from_dict(RAW_SCHEMA)
SCHEMA.app = get_wsgi_application()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def test_the_schema_is_valid_openapi_without_a_single_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3.0.3")


def test_every_api_route_of_the_urlconf_is_in_the_schema_with_its_answers_and_errors():
    routes = _api_routes()
    assert len(routes) == 23  # payments 4, expert 11, sanctuaire 7, places 1
    assert set(RAW_SCHEMA["paths"]) == set(routes)
    error_ref = {"$ref": "#/components/schemas/Error"}
    for path, methods in routes.items():
        documented = RAW_SCHEMA["paths"][path]
        assert sorted(documented) == methods, path
        for method in methods:
            responses = documented[method]["responses"]
            successes = [code for code in responses if code.startswith("2")]
            errors = [code for code in responses if code[0] in "45"]
            assert len(successes) == 1 and responses[successes[0]]["content"], f"{method} {path}"
            assert errors, f"{method} {path} documents no error"
            for code in errors:
                assert responses[code]["content"]["application/json"]["schema"] == error_ref, f"{method} {path} {code}"
            if documented[method].get("security", [{}]) != [{}]:
                assert {"401"} <= set(responses), f"{method} {path}"


def test_the_error_body_is_documented_once_with_its_code_message_and_fields():
    components = RAW_SCHEMA["components"]["schemas"]
    assert components["Error"]["required"] == ["error"]
    assert components["ErrorDetail"]["required"] == ["code", "message"]
    assert set(components["ErrorDetail"]["properties"]) == {"code", "message", "fields"}


def test_the_expert_and_client_apis_have_their_own_jwt_schemes():
    schemes = RAW_SCHEMA["components"]["securitySchemes"]
    assert schemes["expertJwtAuth"]["scheme"] == schemes["jwtAuth"]["scheme"] == "bearer"
    assert RAW_SCHEMA["paths"]["/api/expert/orders"]["get"]["security"] == [{"expertJwtAuth": []}]
    assert RAW_SCHEMA["paths"]["/api/sanctuaire/profile"]["get"]["security"] == [{"jwtAuth": []}]
    assert RAW_SCHEMA["paths"]["/api/payments/create-payment-intent"]["post"]["security"] == [{}]


# --- Fuzzing ------------------------------------------------------------------------------------------------

@pytest.fixture
def keep_test_connection():
    """Like Django's test client: a request must not close the connection that holds the test transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, settings, stripe_api):
    """Something for every endpoint to find: offers, an expert with an order to validate and a paid order,
    a client with a profile and a delivered reading. Rate limits high, so that the fuzzer reaches the code."""
    from payments.stripe_api import local_account_ensure

    settings.PAYMENTS_CREATE_RATE = settings.EXPERT_LOGIN_RATE = "100000/m"
    settings.SANCTUAIRE_TOKEN_RATE_PER_IP = "100000/h"
    settings.EXPERT_RELAUNCH_RATE = "100000/m"
    local_account_ensure()
    offer(1, "basic")
    expert = ExpertFactory(name="Oriane Lune", user__email="oriane@lumira.local")
    client = UserFactory(email="claire@example.com", first_name="Claire", last_name="Martin")
    ClientProfile.objects.create(user=client, birth_date="1990-04-12", birth_time="08:30", birth_place="Lyon",
                                 question="Quelle voie ?", objective="Confiance")
    reading = completed_order(client=client, level=3, expert=expert)
    waiting = in_validation(expert)
    paid = paid_order()
    return {
        "anonymous": {"headers": {}, "order_id": str(paid.pk)},
        "client": {"headers": {"Authorization": f"Bearer {RefreshToken.for_user(client).access_token}"},
                   "order_id": str(reading.pk)},
        "expert": {"headers": {"Authorization": f"Bearer {RefreshToken.for_user(expert.user).access_token}"},
                   "order_id": str(waiting.pk)},
    }


def _strategy(operation, order_id: str):
    strategies = [operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)]
    if "{order_id}" in operation.path:  # also the persona's own order, not only random ids
        strategies.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters={"order_id": order_id}))
    return st.one_of(strategies)


# No 5xx; status code, content type, headers and body as documented; schema-violating input refused with a 4xx.
# (Not "positive data acceptance": a well-formed request may still be refused by a business rule, e.g. an
# unknown expertId, or a rejection without its reason.)
# Examples per operation and persona (positive, negative, the persona's own order): few, for speed; raise
# FUZZ_EXAMPLES to search harder by hand.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 12)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, negative_data_rejection]


def _auth_headers(case, persona_headers: dict) -> dict:
    """The persona's token, unless the case fuzzes the headers themselves (then its own, e.g. no token)."""
    header = next((info for location, info in (case.meta.components.items() if case.meta else ())
                   if location.value == "header"), None)
    return {} if header is not None and not header.mode.is_positive else persona_headers


@pytest.mark.parametrize("persona", ["anonymous", "client", "expert"])
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method.upper()} {op.path}")
def test_the_api_answers_generated_requests_without_5xx_and_as_documented(operation, persona, world, keep_test_connection):
    who = world[persona]

    @given(case=_strategy(operation, who["order_id"]))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def call(case):
        case.call_and_validate(headers=_auth_headers(case, who["headers"]), checks=CHECKS,
                               environ_base={"REMOTE_ADDR": "127.0.0.1"})

    call()

