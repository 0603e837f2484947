"""API conventions shared by every app: one JSON error shape (SPEC §9)."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "La commande n'est pas dans un état qui permet cette action."


def error_response(code: str, message: str, http_status: int, fields: dict | None = None) -> Response:
    body: dict[str, Any] = {"error": {"code": code, "message": str(message)}}
    if fields:
        body["error"]["fields"] = fields
    return Response(body, status=http_status)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Wrap DRF's errors as {"error": {"code", "message", "fields"}} so clients parse one shape."""
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
        response.data = {"error": {"code": "invalid", "message": "Données invalides.", "fields": fields}}
    elif isinstance(exc, APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        response.data = {"error": {"code": code, "message": str(exc.detail)}}
    return response
