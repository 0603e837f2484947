from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenRefreshView as SimpleJWTRefreshView

from lumira.api import error_response, error_responses
from lumira.client_ip import ClientIPAnonRateThrottle

from .. import selectors, services
from ..access import client_entitlements
from ..views import pdf_response
from .serializers import (
    EntitlementsSerializer,
    ProfileResponseSerializer,
    ProfileSerializer,
    ReadingSerializer,
    TokenPairSerializer,
    TokenRequestSerializer,
)


class IsClient(IsAuthenticated):
    """The Sanctuaire API answers clients only: an expert's or staff token gets 403, as in the pages."""

    message = _("The Sanctuary is for clients only.")

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and not request.user.is_staff


class MagicTokenThrottle(ClientIPAnonRateThrottle):
    scope = "sanctuaire_token"

    def get_rate(self) -> str:
        return settings.SANCTUAIRE_TOKEN_RATE_PER_IP


class TokenView(APIView):
    """Exchange a magic-link token (the `sesame` parameter of the emailed link) for JWTs. Spends the link."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [MagicTokenThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenPairSerializer,
            **error_responses({
                400: "No token, or not a string.",
                401: "Invalid, expired or already used link (`error.code` invalid_token).",
                429: "Too many attempts from this address (SANCTUAIRE_TOKEN_RATE_PER_IP).",
            }),
        },
        summary="Exchange a magic-link token for JWTs (spends the link).",
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.magic_link_consume(token=serializer.validated_data["token"])
        if user is None:
            return error_response(
                "invalid_token", _("This sign-in link is invalid, expired or already used."), status.HTTP_401_UNAUTHORIZED
            )
        refresh = RefreshToken.for_user(user)
        return Response({"access": str(refresh.access_token), "refresh": str(refresh)})


@extend_schema_view(
    post=extend_schema(
        responses={
            200: TokenRefreshSerializer,
            **error_responses({400: None, 401: "Invalid or expired refresh token."}),
        },
        summary="A new access token from a refresh token.",
    )
)
class TokenRefreshView(SimpleJWTRefreshView):
    """`{"refresh"}` → `{"access"}`."""


@extend_schema_view(
    get=extend_schema(responses=ProfileResponseSerializer, summary="The client's profile (created empty on first use)."),
    patch=extend_schema(
        responses=ProfileResponseSerializer,
        summary="Update some fields of the profile; copied onto the orders waiting for generation.",
    ),
)
class ProfileView(generics.RetrieveUpdateAPIView):
    permission_classes = [IsClient]
    serializer_class = ProfileSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return selectors.profile_for(self.request.user)

    def perform_update(self, serializer: ProfileSerializer) -> None:
        serializer.instance = services.profile_update(user=self.request.user, data=serializer.validated_data)


@extend_schema_view(get=extend_schema(summary="The client's delivered readings, newest first (paginated)."))
class ReadingListView(generics.ListAPIView):
    """Delivered readings only, newest first, with the sections the client's level unlocks."""

    permission_classes = [IsClient]
    serializer_class = ReadingSerializer

    def get_queryset(self):
        return selectors.client_readings(self.request.user)

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "entitlements": client_entitlements(self.request.user)}


def _reading_or_404(user, order_id):
    # DRF's NotFound rather than Django's Http404, so that the error keeps Lumira's JSON shape.
    try:
        return selectors.client_reading_get(user, order_id)
    except Http404 as exc:
        raise NotFound("Lecture introuvable.") from exc


@extend_schema_view(
    get=extend_schema(
        responses={200: ReadingSerializer, **error_responses({404: "No delivered reading with this id for this client."})},
        summary="One delivered reading, with the sections the client's level unlocks.",
    )
)
class ReadingDetailView(generics.RetrieveAPIView):
    permission_classes = [IsClient]
    serializer_class = ReadingSerializer

    def get_object(self):
        return _reading_or_404(self.request.user, self.kwargs["order_id"])

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "entitlements": client_entitlements(self.request.user)}


class _JSONForErrors(BaseContentNegotiation):
    """The PDF is returned as is; errors are always JSON, whatever the client's Accept header."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ReadingPdfView(APIView):
    permission_classes = [IsClient]
    content_negotiation_class = _JSONForErrors

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            **error_responses({404: "No delivered reading with this id for this client."}),
        },
        summary="One delivered reading as a PDF.",
    )
    def get(self, request, order_id):
        order = _reading_or_404(request.user, order_id)
        return pdf_response(order, request.user)


class EntitlementsView(APIView):
    permission_classes = [IsClient]

    @extend_schema(responses=EntitlementsSerializer, summary="The client's access level and the sections it unlocks.")
    def get(self, request):
        return Response(EntitlementsSerializer.from_entitlements(client_entitlements(request.user)))
