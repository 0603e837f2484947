"""API conventions shared by every app: one JSON error shape (SPEC §9), and how the OpenAPI schema shows it."""

from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django_ratelimit.core import is_ratelimited
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ParseError, PermissionDenied, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def error_response(code: str, message: str, http_status: int, fields: dict | None = None) -> Response:
    body: dict[str, Any] = {"error": {"code": code, "message": str(message)}}
    if fields:
        body["error"]["fields"] = fields
    return Response(body, status=http_status)


def limited_per_ip(*, group: str, rate_setting: str, message: str):
    """An API method that counts each call against the rate named by `rate_setting`, per client IP
    (django-ratelimit, shared cache), and answers 429 `rate_limited` with `message` once over it."""

    def decorate(method):
        @wraps(method)
        def limited(view, request: Request, *args, **kwargs) -> Response:
            rate = getattr(settings, rate_setting)
            if is_ratelimited(request._request, group=group, key="ip", rate=rate, increment=True):
                return error_response("rate_limited", message, status.HTTP_429_TOO_MANY_REQUESTS)
            return method(view, request, *args, **kwargs)

        return limited

    return decorate


class TooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = _("Request too large.")


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Wrap DRF's errors as {"error": {"code", "message", "fields"}} so clients parse one shape."""
    # A body over DATA_UPLOAD_MAX_MEMORY_SIZE (or with too many fields): Django would answer an HTML 400.
    if isinstance(exc, RequestDataTooBig):
        exc = TooLarge()
    elif isinstance(exc, TooManyFieldsSent):
        exc = ParseError(_("Too many fields in the request."))
    # Django's own exceptions get the same shape as DRF's.
    if isinstance(exc, Http404):
        exc = NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"error": {"code": "invalid", "message": str(_("Invalid data.")), "fields": fields}}
    elif isinstance(exc, APIException):
        detail = exc.detail
        if isinstance(detail, dict) and "detail" in detail:
            # simplejwt's token errors carry {"detail", "code", "messages"}: keep the sentence and its code.
            code, message = str(detail.get("code") or "error"), str(detail["detail"])
        else:
            codes = exc.get_codes()
            code, message = (codes if isinstance(codes, str) else "error"), str(detail)
        response.data = {"error": {"code": code, "message": message}}
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: a URL that no route matches (such as an order id that is not a UUID) answers in the API's
    error shape under /api/, and with the usual page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "not_found", "message": str(_("Resource not found."))}}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the API's error shape under /api/, the usual page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "server_error", "message": str(_("Internal error: try again later."))}},
                            status=500)
    return defaults.server_error(request)


# --- OpenAPI: the error body, and the errors every operation can give ------------------------------------

@extend_schema_field({
    "type": "object",
    "description": "Validation errors only: the messages for each field of the request (a nested object for a "
                   "nested field), `non_field_errors` for the request as a whole.",
    "additionalProperties": {"oneOf": [{"type": "array", "items": {}}, {"type": "object"}]},
})
class ErrorFieldsField(serializers.DictField):
    pass


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, for programs: invalid, not_authenticated, not_found, conflict…")
    message = serializers.CharField(help_text="In French, for people.")
    fields = ErrorFieldsField(required=False)


class ErrorSerializer(serializers.Serializer):
    """Every 4xx (and 503) answer of the API: `{"error": {"code", "message", "fields"}}`."""

    error = ErrorDetailSerializer()


ERROR_DESCRIPTIONS = {
    400: "Invalid request: `error.fields` gives the messages for each field.",
    401: "Not signed in: the bearer token is missing, invalid or expired, or the account is deactivated.",
    403: "Signed in, but this API is not for this account.",
    404: "Not found (or not yours), or a page number out of range.",
    406: "The Accept header names no type this operation answers (application/json).",
    409: "The order is not in a state that allows this action.",
    429: "Too many requests: try again later (see the Retry-After header).",
    503: "A service Lumira depends on is unavailable: try again later.",
}


def error_responses(errors: dict[int, str | None]) -> dict[int, OpenApiResponse]:
    """`{status: description}` (None: the usual description) as drf-spectacular responses with the error body."""
    return {
        code: OpenApiResponse(ErrorSerializer, description=description or ERROR_DESCRIPTIONS[code])
        for code, description in errors.items()
    }


class LumiraAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus the error answers that follow from how a view is built, so that no
    operation forgets them: 400 for a request body, 401/403 behind authentication and permissions, 404 for
    a path parameter or a paginated list, 406 for DRF's content negotiation, 429 for throttling. A view's
    own `extend_schema` wins."""

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in self._implied_errors().items():
            if str(code) not in responses:
                response = OpenApiResponse(ErrorSerializer, description=description)
                responses[str(code)] = self._get_response_for_code(response, str(code), direction=direction)
        return dict(sorted(responses.items()))

    def _implied_errors(self) -> dict[int, str]:
        view, errors = self.view, {}
        if self.method in {"POST", "PUT", "PATCH"}:
            errors[400] = ERROR_DESCRIPTIONS[400]
        permissions = [type(permission) for permission in view.get_permissions()]
        if any(permission is not AllowAny for permission in permissions):
            errors[401] = ERROR_DESCRIPTIONS[401]
            if any(permission not in (AllowAny, IsAuthenticated) for permission in permissions):
                errors[403] = ERROR_DESCRIPTIONS[403]
        if "{" in self.path or (self.method == "GET" and self._is_list_view() and self._get_paginator()):
            errors[404] = ERROR_DESCRIPTIONS[404]
        if getattr(view, "content_negotiation_class", None) is DefaultContentNegotiation:
            errors[406] = ERROR_DESCRIPTIONS[406]
        if getattr(view, "throttle_classes", None):
            errors[429] = ERROR_DESCRIPTIONS[429]
        return errors


class TextField(serializers.CharField):
    """Text only: a number or a boolean is refused (400), not turned into a string, as the schema says."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)
