"""The n8n callback's authentication: an HMAC signature over the raw body, fresh enough not to be a replay."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import status
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import APIException, AuthenticationFailed
from rest_framework.request import Request

from .. import signing


class StaleTimestamp(APIException):
    """A valid signature too old (or too far ahead) to be live: a 400, not a 401 (the sender holds the secret)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "stale_timestamp"
    default_detail = "Horodatage trop ancien : rappel refusé."


class N8nSignatureAuthentication(BaseAuthentication):
    """Signed with N8N_CALLBACK_SECRET over "{timestamp}.{raw body}" (experts/signing.py).

    Only a POST carries a signed body: other methods are left unauthenticated, for the view to refuse (405).
    On success the request is anonymous (no user signs) and `request.auth` is the signature's timestamp.
    """

    def authenticate(self, request: Request) -> tuple[AnonymousUser, int] | None:
        if request.method != "POST":
            return None
        try:
            timestamp = signing.verify(
                settings.N8N_CALLBACK_SECRET,
                timestamp=request.headers.get(signing.TIMESTAMP_HEADER),
                signature=request.headers.get(signing.SIGNATURE_HEADER),
                body=request._request.body,  # the exact bytes that were signed, read before any parsing
                max_age=settings.N8N_CALLBACK_MAX_AGE_SECONDS,
            )
        except signing.SignatureError as error:
            raise AuthenticationFailed("Signature absente ou invalide.", code="bad_signature") from error
        except signing.StaleSignature as error:
            raise StaleTimestamp() from error
        return AnonymousUser(), timestamp

    def authenticate_header(self, request: Request) -> str:
        # A refused signature stays a 401 (DRF turns it into a 403 when a view names no challenge).
        return f'Lumira-Signature header="{signing.SIGNATURE_HEADER}"'


class N8nSignatureScheme(OpenApiAuthenticationExtension):
    """The OpenAPI schema's name for the signature (the headers themselves are the view's parameters)."""

    target_class = N8nSignatureAuthentication
    name = "n8nSignature"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": signing.SIGNATURE_HEADER,
            "description": f'Hex HMAC-SHA256 of "{{timestamp}}.{{raw body}}" with N8N_CALLBACK_SECRET; the timestamp '
            f"(Unix seconds) in {signing.TIMESTAMP_HEADER}.",
        }
